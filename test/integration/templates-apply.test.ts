import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApplyTemplateRequest, ApplyTemplateResult } from "../../src/routes/templates/apply.js";
import type { TemplateListResult } from "../../src/routes/templates/list.js";
import type { RecommendRequest, RecommendResult } from "../../src/routes/templates/recommend.js";
import { templateBundles } from "../../src/templates/index.js";
import { parseSse } from "../helpers/ask-app.js";
import {
  type IngestStack,
  startIngestStack,
  tenantWithKb,
  upload,
  waitForTerminal,
} from "../helpers/ingest.js";

const SITE = "https://help.example.com";
const bundles = templateBundles();

/**
 * Issue 19's "done when" for templates: each of the twenty applies on a fresh organization in one
 * call, its golden set reaches the recall the bundle states (offline embedder, extractive answerer),
 * and its widget answers the first starter question through the public embed endpoints.
 */
describe("solution templates: apply, golden set, widget", () => {
  let s: IngestStack;
  const applied = new Map<string, { key: string; result: ApplyTemplateResult }>();

  beforeAll(async () => {
    s = await startIngestStack("pglite");
  }, 120_000);
  afterAll(async () => s?.close(), 120_000);

  const publicCall = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await s.t.app.request(`/v1/public/embeds${path}`, {
      method: "POST",
      headers: { origin: SITE, "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
    return { status: res.status, text: await res.text() };
  };

  it("lists twenty templates, three or more in Chinese, and shows one in full", async () => {
    const { adminKey } = await s.t.newTenant();
    const list = await s.t.call("GET", "/v1/templates", { key: adminKey });
    expect(list.status).toBe(200);
    const data = (list.body as TemplateListResult).data;
    expect(data).toHaveLength(20);
    expect(data.filter((d) => d.language === "zh").length).toBeGreaterThanOrEqual(3);
    const one = await s.t.call("GET", "/v1/templates/contract-qa", { key: adminKey });
    expect(one.status).toBe(200);
    expect(one.body.sample_documents[0]).toMatchObject({ licence: "CC0-1.0" });
    expect(one.body.sample_documents[0].text).toContain("Master services agreement");
    const missing = await s.t.call("GET", "/v1/templates/no-such-template", { key: adminKey });
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe("not_found");
  });

  for (const b of bundles) {
    it(`${b.id}: applies on a fresh organization, meets its stated recall, its widget answers`, async () => {
      const { adminKey } = await s.t.newTenant(`org ${b.id}`);
      const body: ApplyTemplateRequest = { allowed_origins: [SITE] };
      const r = await s.t.call("POST", `/v1/templates/${b.id}/apply`, { key: adminKey, body });
      expect(r.status, JSON.stringify(r.body).slice(0, 500)).toBe(201);
      const result = r.body as ApplyTemplateResult;
      applied.set(b.id, { key: adminKey, result });
      expect(result.ready).toBe(true);
      expect(result.documents.map((d) => d.status)).toEqual(b.sample_documents.map(() => "ready"));
      const misses = result.golden.questions.filter((q) => !q.found).map((q) => q.question);
      expect(result.golden.recall, `missed: ${misses.join(" | ")}`).toBeGreaterThanOrEqual(
        b.golden.stated_recall,
      );
      expect(result.golden.meets_stated).toBe(true);

      const kb = await s.t.call("GET", `/v1/knowledge-bases/${result.knowledge_base_id}`, { key: adminKey });
      expect(kb.body).toMatchObject({
        chunk_size: b.knowledge_base.chunk_size,
        prompt_template: b.knowledge_base.prompt_template,
      });
      const embed = await s.t.call("GET", `/v1/embeds/${result.embed_id}`, { key: adminKey });
      expect(embed.body).toMatchObject({
        starter_questions: b.starter_questions,
        greeting: b.embed.greeting,
        allowed_origins: [SITE],
      });

      const conv = await publicCall(`/${result.embed_id}/conversations`, { visitor_id: "visitor_0001" });
      expect(conv.status).toBe(201);
      const { conversation_id: cid, conversation_token: token } = JSON.parse(conv.text) as {
        conversation_id: string;
        conversation_token: string;
      };
      const msg = await publicCall(
        `/${result.embed_id}/conversations/${cid}/messages`,
        { question: b.starter_questions[0] },
        { "x-conversation-token": token },
      );
      expect(msg.status).toBe(200);
      const events = parseSse(msg.text);
      const done = events.at(-1)!;
      expect(done.event).toBe("done");
      expect(done.data.answerable, msg.text.slice(0, 800)).toBe(true);
      expect(events.filter((e) => e.event === "delta").length).toBeGreaterThan(0);
    }, 120_000);
  }

  it("recommends each applied template first for its own knowledge base", async () => {
    const wrong: string[] = [];
    for (const [id, { key, result }] of applied) {
      const body: RecommendRequest = { knowledge_base_id: result.knowledge_base_id, limit: 3 };
      const r = await s.t.call("POST", "/v1/templates/recommend", { key, body });
      expect(r.status).toBe(200);
      const top = (r.body as RecommendResult).data[0]!;
      if (top.id !== id) wrong.push(`${id} -> ${top.id}`);
    }
    expect(applied.size).toBe(20);
    expect(wrong).toEqual([]);
  });

  it("recommends from a user's own documents, and says what to do when there are none", async () => {
    const user = await tenantWithKb(s.t);
    const empty = await s.t.call("POST", "/v1/templates/recommend", {
      key: user.adminKey,
      body: { knowledge_base_id: user.kbId },
    });
    expect(empty.status).toBe(409);
    expect(empty.body.detail).toMatch(/Upload some/);
    const note = [
      "Vacation and sick leave at Acme",
      "Every employee earns 22 days of annual leave. Sick days need a doctor's note after three days.",
      "Parental leave is paid for 14 weeks. Benefits include health insurance and a pension plan.",
      "Expense claims for travel are submitted with receipts through the HR portal.",
    ].join("\n");
    const up = await upload(s.t, user.adminKey, user.kbId, {
      bytes: new TextEncoder().encode(note),
      name: "leave.txt",
      type: "text/plain",
    });
    expect((await waitForTerminal(s.t, user.adminKey, up.body.id)).status).toBe("ready");
    const r = await s.t.call("POST", "/v1/templates/recommend", {
      key: user.adminKey,
      body: { knowledge_base_id: user.kbId, limit: 3 },
    });
    expect(r.status).toBe(200);
    const ids = (r.body as RecommendResult).data.map((d) => d.id);
    expect(ids[0]).toBe("hr-handbook");
    expect((r.body as RecommendResult).data[0]!.matched_terms).toContain("leave");
    const other = await s.t.newTenant();
    const hidden = await s.t.call("POST", "/v1/templates/recommend", {
      key: other.adminKey,
      body: { knowledge_base_id: user.kbId },
    });
    expect(hidden.status).toBe(404);
  });

  it("refuses bad input with a clear error: unknown template, bad origin, a query key", async () => {
    const { adminKey } = await s.t.newTenant();
    const unknown = await s.t.call("POST", "/v1/templates/nope-nope/apply", { key: adminKey, body: {} });
    expect(unknown.status).toBe(404);
    const badOrigin = await s.t.call("POST", "/v1/templates/it-helpdesk/apply", {
      key: adminKey,
      body: { allowed_origins: ["not a url"] },
    });
    expect(badOrigin.status).toBe(400);
    expect(JSON.stringify(badOrigin.body.errors)).toContain("allowed_origins.0");
    const query = await s.t.newKey(adminKey, ["query"]);
    const forbidden = await s.t.call("POST", "/v1/templates/it-helpdesk/apply", { key: query.key, body: {} });
    expect(forbidden.status).toBe(403);
    const kbs = await s.t.call("GET", "/v1/knowledge-bases", { key: adminKey });
    expect(kbs.body.data).toEqual([]);
  });
});
