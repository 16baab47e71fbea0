import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  fixture,
  type IngestStack,
  startIngestStack,
  tenantWithKb,
  upload,
  waitForTerminal,
} from "../helpers/ingest.js";

const USD = /^\d+\.\d{6}$/;

/** One money shape, snake_case everywhere, and searching named documents (issue 11). */
describe("API consistency", () => {
  let s: IngestStack;
  let kb: Awaited<ReturnType<typeof tenantWithKb>>;
  let pdfId: string;
  let mdId: string;
  let mdVersion: string;

  beforeAll(async () => {
    s = await startIngestStack("pglite");
    kb = await tenantWithKb(s.t);
    const pdf = await upload(s.t, kb.ingestKey, kb.kbId, {
      bytes: await fixture("pdf/pdfjs_tracemonkey.pdf"),
      name: "tracemonkey.pdf",
    });
    const md = await upload(s.t, kb.ingestKey, kb.kbId, {
      bytes: await fixture("markdown/qdrant_README.md"),
      name: "qdrant.md",
    });
    for (const up of [pdf, md]) {
      expect((await waitForTerminal(s.t, kb.ingestKey, up.body.id)).status).toBe("ready");
    }
    pdfId = pdf.body.id;
    mdId = md.body.id;
    mdVersion = md.body.version_id;
    // Ingesting fixtures on a shared 2-core machine can take longer than the default hook timeout.
  }, 180_000);
  afterAll(async () => s?.close());

  it("searches only the named documents or versions, and names an unknown one", async () => {
    const everything = await s.t.call("POST", "/v1/search", {
      key: kb.adminKey,
      body: { query: "vector search engine trace tree", knowledge_base_ids: [kb.kbId], top_k: 20 },
    });
    const docs = new Set(everything.body.data.map((c: any) => c.document_id));
    expect(docs).toEqual(new Set([pdfId, mdId]));
    for (const narrow of [{ document_ids: [mdId] }, { document_version_ids: [mdVersion] }]) {
      const r = await s.t.call("POST", "/v1/search", {
        key: kb.adminKey,
        body: {
          query: "vector search engine trace tree",
          knowledge_base_ids: [kb.kbId],
          top_k: 20,
          ...narrow,
        },
      });
      expect(r.status).toBe(200);
      expect(r.body.data.length).toBeGreaterThan(0);
      expect(r.body.data.every((c: any) => c.document_id === mdId)).toBe(true);
    }
    const unknown = await s.t.call("POST", "/v1/search", {
      key: kb.adminKey,
      body: { query: "trace", knowledge_base_ids: [kb.kbId], document_ids: ["doc_missing"] },
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.detail).toMatch(/doc_missing/);
    const asMeta = await s.t.call("POST", "/v1/search", {
      key: kb.adminKey,
      body: {
        query: "trace",
        knowledge_base_ids: [kb.kbId],
        filter: { must: [{ key: "document_id", match: { value: pdfId } }] },
      },
    });
    expect(asMeta.status).toBe(400);
    expect(asMeta.body.errors[0].message).toMatch(/document_ids/);
  });

  it("asks within one document and reports cost as micros plus a decimal string", async () => {
    const r = await s.t.call("POST", "/v1/ask", {
      key: kb.adminKey,
      body: {
        question: "What is a trace tree?",
        knowledge_base_ids: [kb.kbId],
        document_ids: [pdfId],
        stream: false,
      },
    });
    expect(r.status).toBe(200);
    expect(r.body.sources.length).toBeGreaterThan(0);
    expect(r.body.sources.every((src: any) => src.document_id === pdfId)).toBe(true);
    const usage = r.body.answers[0].usage;
    expect(usage.cost_micros).toBe(0);
    expect(usage.cost_usd).toBe("0.000000");
    expect(r.body.done).toMatchObject({ cost_micros: 0, cost_usd: "0.000000" });

    const report = await s.t.call("GET", "/v1/usage?group_by=model", { key: kb.adminKey });
    expect(report.body.totals.cost_usd).toMatch(USD);
    expect(Number.isInteger(report.body.totals.cost_micros)).toBe(true);
    const models = await s.t.call("GET", "/v1/models", { key: kb.adminKey });
    expect(models.body.data[0].price).toMatchObject({
      input_per_million_micros: 0,
      input_per_million_usd: "0.000000",
    });
  });

  it("writes budgets the same way: micros plus a decimal string, given as number or string", async () => {
    const a = await s.t.call("POST", "/v1/keys", {
      key: kb.adminKey,
      body: { name: "capped", scopes: ["query"], monthly_budget_usd: "12.50" },
    });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ monthly_budget_micros: 12_500_000, monthly_budget_usd: "12.500000" });
    const b = await s.t.call("POST", "/v1/keys", {
      key: kb.adminKey,
      body: { name: "capped2", scopes: ["query"], monthly_budget_usd: 0.25 },
    });
    expect(b.body).toMatchObject({ monthly_budget_micros: 250_000, monthly_budget_usd: "0.250000" });
    const bad = await s.t.call("POST", "/v1/keys", {
      key: kb.adminKey,
      body: { name: "x", scopes: ["query"], monthly_budget_usd: "12.5000001" },
    });
    expect(bad.status).toBe(400);
  });

  it("has snake_case keys in every payload, audit details included", async () => {
    await s.t.newKey(kb.adminKey, ["query"], { knowledge_base_ids: [kb.kbId] });
    await s.t.call("PATCH", `/v1/knowledge-bases/${kb.kbId}`, {
      key: kb.adminKey,
      body: { chunk_size: 300, chunk_overlap: 30 },
    });
    const audit = await s.t.call("GET", "/v1/audit?limit=100", { key: kb.adminKey });
    const camel: string[] = [];
    const walk = (v: unknown, path: string) => {
      if (Array.isArray(v)) v.forEach((x, i) => void walk(x, `${path}[${i}]`));
      else if (v && typeof v === "object") {
        for (const [k, x] of Object.entries(v)) {
          if (/[A-Z]/.test(k)) camel.push(`${path}.${k}`);
          walk(x, `${path}.${k}`);
        }
      }
    };
    walk(audit.body, "audit");
    expect(camel).toEqual([]);
    const keyCreated = audit.body.data.find(
      (e: any) => e.action === "key.create" && e.detail.knowledge_base_ids,
    );
    expect(keyCreated.detail.knowledge_base_ids).toEqual([kb.kbId]);
    const updated = audit.body.data.find((e: any) => e.action === "knowledge_base.update");
    expect(updated.detail.changed).toEqual(expect.arrayContaining(["chunk_size", "chunk_overlap"]));
    const problem = await s.t.call("GET", "/v1/documents/doc_nope", { key: kb.adminKey });
    expect(problem.body.request_id).toBe(problem.body.requestId);
    expect(problem.body.request_id).toMatch(/^req_/);
  });
});
