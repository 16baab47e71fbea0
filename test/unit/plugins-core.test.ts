import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readTarball } from "../../src/plugins/install/tarball.js";
import { invoke, readManifest } from "../../src/plugins/package.js";
import { PluginSandbox } from "../../src/plugins/sandbox/process.js";
import { packPlugin } from "../helpers/plugins.js";

/** Core plugins (issue 19), each packed with `npm pack` (offline), unpacked by the host's reader, run sandboxed. */
const open: PluginSandbox[] = [];
afterAll(() => {
  for (const s of open) s.close();
});
async function fromTarball(folder: string) {
  const { bytes } = packPlugin(folder);
  const dir = mkdtempSync(join(tmpdir(), "aihub-core-"));
  for (const f of readTarball(bytes)) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.bytes);
  }
  const s = new PluginSandbox(dir, await readManifest(dir));
  open.push(s);
  return s;
}

describe("core plugin: PII redaction", () => {
  const page = [
    "Contact Jane at jane.doe@example.com or +1 415-555-0132; 手机 138 0013 8000.",
    "身份证号 11010519491231002X，卡号 4111 1111 1111 1111。",
    "Order 4111 1111 1111 1112 and ID 110105194912310021 are not personal data (bad check digits).",
  ].join("\n");

  it("redacts e-mails, phones, checksum-valid Chinese IDs and Luhn-valid cards, and counts them", async () => {
    const s = await fromTarball("src/plugins/core/pii-redaction");
    const out = await invoke(s, "text-filter", "filter", { pages: [{ page: 3, text: page }] }, {});
    expect(out.pages[0]!.page).toBe(3);
    const text = out.pages[0]!.text;
    expect(text).toContain("Contact Jane at [EMAIL] or [PHONE]; 手机 [PHONE].");
    expect(text).toContain("身份证号 [CN_ID]，卡号 [CARD]。");
    expect(text).toContain("Order 4111 1111 1111 1112 and ID 110105194912310021 are not");
    expect(out.counts).toEqual({ email: 1, phone: 2, cn_id: 1, card: 1 });
  });

  it("keeps to the configured categories and knowledge bases", async () => {
    const s = await fromTarball("src/plugins/core/pii-redaction");
    const only = await invoke(
      s,
      "text-filter",
      "filter",
      { pages: [{ page: 1, text: page }] },
      { categories: ["email"] },
    );
    expect(only.counts).toEqual({ email: 1 });
    const other = await invoke(
      s,
      "text-filter",
      "filter",
      { pages: [{ page: 1, text: page }], knowledgeBaseId: "kb_other" },
      { knowledgeBases: ["kb_hr"] },
    );
    expect(other.pages[0]!.text).toBe(page);
  });
});

describe("core plugin: glossary expander", () => {
  it("adds synonyms of whole-word terms and Chinese terms, once", async () => {
    const s = await fromTarball("src/plugins/core/glossary-expander");
    const config = { terms: { PTO: ["paid time off", "vacation"], 年假: ["带薪休假"], API: ["interface"] } };
    const en = await invoke(
      s,
      "query-expander",
      "expand",
      { query: "How much PTO do I get? vacation rules" },
      config,
    );
    expect(en.query).toBe("How much PTO do I get? vacation rules paid time off");
    const zh = await invoke(s, "query-expander", "expand", { query: "年假有几天" }, config);
    expect(zh.query).toBe("年假有几天 带薪休假");
    const none = await invoke(s, "query-expander", "expand", { query: "rapid deployment" }, config);
    expect(none.query).toBe("rapid deployment");
  });
});

describe("core plugin: MMR reranker", () => {
  it("puts a distinct chunk ahead of near-duplicates, and lambda 1 keeps relevance order", async () => {
    const s = await fromTarball("src/plugins/core/mmr-reranker");
    const chunks = [
      { id: "a", text: "Warsaw is the capital of Poland.", score: 0.9 },
      { id: "b", text: "Warsaw is the capital of Poland!", score: 0.89 },
      { id: "c", text: "Kraków was the royal capital before Warsaw.", score: 0.7 },
    ];
    const diverse = await invoke(
      s,
      "reranker",
      "rerank",
      { query: "capital of Poland", chunks },
      { lambda: 0.5 },
    );
    expect(diverse.scores[2]).toBeGreaterThan(diverse.scores[1]!);
    const relevant = await invoke(
      s,
      "reranker",
      "rerank",
      { query: "capital of Poland", chunks },
      { lambda: 1 },
    );
    expect(relevant.scores[0]).toBeGreaterThan(relevant.scores[2]!);
    expect(relevant.scores[1]).toBeGreaterThan(relevant.scores[2]!);
  });
});

describe("core plugin: webhook postprocessor", () => {
  it("posts the answer to the configured URL with a verifiable HMAC signature, as the configured URL is its only network grant", async () => {
    const { createServer } = await import("node:http");
    const { createHmac, timingSafeEqual } = await import("node:crypto");
    const got: { body: string; signature: string }[] = [];
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (d) => {
        body += d;
      });
      req.on("end", () => {
        got.push({ body, signature: String(req.headers["x-aihub-signature"]) });
        res.end("ok");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as import("node:net").AddressInfo).port;
    const secret = "whsec_0123456789abcdef";
    const s = await fromTarball("src/plugins/core/webhook-postprocessor");
    const input = { question: "Capital?", answer: "Warsaw [1].", citations: [{ n: 1, documentId: "doc_1" }] };
    const out = await invoke(s, "postprocessor", "process", input, {
      url: `http://127.0.0.1:${port}/hook`,
      signingSecret: secret,
    });
    expect(out.answer).toBe("Warsaw [1].");
    expect(got).toHaveLength(1);
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(got[0]!.signature)!;
    const expected = createHmac("sha256", secret).update(`${t}.${got[0]!.body}`).digest();
    expect(timingSafeEqual(Buffer.from(v1!, "hex"), expected)).toBe(true);
    expect(JSON.parse(got[0]!.body)).toMatchObject({
      type: "answer",
      answer: "Warsaw [1].",
      question: "Capital?",
    });
    server.close();
  });
});
