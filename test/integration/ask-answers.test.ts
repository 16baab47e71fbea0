/**
 * The offline answerer on the questions of issue 18, through upload -> ingestion -> POST /v1/ask:
 * a definition it must find in a long paper, a question the knowledge base cannot answer, and a
 * listing whose answer is a Markdown list item.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerStrings } from "../../src/i18n/answers.js";
import {
  fixture,
  type IngestStack,
  startIngestStack,
  tenantWithKb,
  upload,
  waitForTerminal,
} from "../helpers/ingest.js";

const LISTING = `# Breezy Cove

Breezy Cove is a two-bedroom beach cottage in Cannon Beach, Oregon, a five-minute walk from the sand.
It sleeps up to six guests and welcomes well-behaved dogs.

## Amenities

- Fully Stocked Kitchen
- Free high-speed Wi-Fi
- Washer and dryer
- Gas fireplace in the living room
- Private deck with ocean views

## House rules

Check-in is at 4 pm and check-out is at 11 am.
Quiet hours are from 10 pm to 8 am. Smoking is not allowed anywhere on the property.
`;

describe("answers worth reading (offline extractive model)", () => {
  let s: IngestStack;
  let paper: { adminKey: string; kbId: string };
  let mixed: { adminKey: string; kbId: string };
  let listing: { adminKey: string; kbId: string };

  async function add(kb: { adminKey: string; kbId: string }, bytes: Uint8Array, name: string, type?: string) {
    const r = await upload(s.t, kb.adminKey, kb.kbId, { bytes, name, ...(type ? { type } : {}) });
    expect([200, 202]).toContain(r.status);
    expect((await waitForTerminal(s.t, kb.adminKey, r.body.id, 600_000)).status).toBe("ready");
  }

  async function askJson(kb: { adminKey: string; kbId: string }, question: string, extra = {}) {
    const r = await s.t.call("POST", "/v1/ask", {
      key: kb.adminKey,
      body: { question, knowledge_base_ids: [kb.kbId], stream: false, ...extra },
    });
    expect(r.status).toBe(200);
    return r.body;
  }

  beforeAll(async () => {
    s = await startIngestStack("pglite");
    const tracemonkey = await fixture("pdf/pdfjs_tracemonkey.pdf");
    paper = await tenantWithKb(s.t);
    await add(paper, tracemonkey, "tracemonkey.pdf");
    mixed = await tenantWithKb(s.t);
    await add(mixed, tracemonkey, "tracemonkey.pdf");
    await add(mixed, await fixture("pdf/pdfjs_freeculture.pdf"), "freeculture.pdf");
    listing = await tenantWithKb(s.t, { prompt_template: "support-bot" });
    await add(listing, new TextEncoder().encode(LISTING), "breezy-cove.md", "text/markdown");
  }, 900_000);
  afterAll(async () => s?.close(), 120_000);

  it('quotes the page-5 definition for "What is a trace tree?", cited to its own source', async () => {
    const body = await askJson(paper, "What is a trace tree?");
    const answer = body.answers[0];
    expect(answer.answerable).toBe(true);
    expect(body.done.answerable).toBe(true);
    const m = /a single trace expands on demand to a single-entry, multiple-exit trace tree\. \[(\d+)\]/.exec(
      answer.text,
    );
    expect(m, answer.text).not.toBeNull();
    const source = body.sources.find((x: any) => x.n === Number(m![1]));
    expect(source.page_start).toBeLessThanOrEqual(5);
    expect(source.page_end).toBeGreaterThanOrEqual(5);
    expect(answer.unknown_citations).toEqual([]);
    expect(answer.citations.length).toBeLessThanOrEqual(3);
  });

  it('abstains on "What is the capital of Australia?" over the paper and the book', async () => {
    const body = await askJson(mixed, "What is the capital of Australia?");
    expect(body.sources.length).toBeGreaterThan(0);
    expect(body.answers[0].text).toBe(answerStrings("en").not_found);
    expect(body.answers[0].answerable).toBe(false);
    expect(body.answers[0].citations).toEqual([]);
    expect(body.done.answerable).toBe(false);
    expect(body.done.models[0].answerable).toBe(false);
  });

  it('answers "Does Breezy Cove have a kitchen?" with the support-bot template from the amenities list', async () => {
    const body = await askJson(listing, "Does Breezy Cove have a kitchen?");
    const answer = body.answers[0];
    expect(answer.answerable).toBe(true);
    const body0 = answer.text.split("\n\n")[1];
    expect(body0.startsWith("Fully Stocked Kitchen [1]")).toBe(true);
    expect(answer.text.match(/Breezy Cove is a two-bedroom/g)?.length ?? 0).toBeLessThanOrEqual(1);
    expect(answer.text).not.toMatch(/^#|\n#|\]\(/m);
  });

  it("says not found in Chinese for a Chinese question the knowledge base cannot answer", async () => {
    const body = await askJson(listing, "澳大利亚的首都是哪座城市？");
    expect(body.answers[0].text).toBe(answerStrings("zh-CN").not_found);
    expect(body.done.answerable).toBe(false);
  });
});
