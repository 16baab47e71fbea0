import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  fixture,
  type IngestStack,
  startIngestStack,
  tenantWithKb,
  upload,
  waitForTerminal,
} from "../helpers/ingest.js";

const EVALS = (kbId: string) => `/v1/knowledge-bases/${kbId}/evals`;

describe("golden question sets per knowledge base (embedded profile)", () => {
  let s: IngestStack;
  let kb: Awaited<ReturnType<typeof tenantWithKb>>;
  let other: Awaited<ReturnType<typeof tenantWithKb>>;
  let queryKey: string;
  const docs: Record<"pdf" | "mammoth" | "qdrant", string> = { pdf: "", mammoth: "", qdrant: "" };

  beforeAll(async () => {
    s = await startIngestStack("pglite");
    kb = await tenantWithKb(s.t);
    other = await tenantWithKb(s.t);
    queryKey = (await s.t.newKey(kb.adminKey, ["query"])).key;
    const files = {
      pdf: { path: "pdf/pdfjs_tracemonkey.pdf", name: "tracemonkey.pdf" },
      mammoth: { path: "markdown/mammoth_README.md", name: "mammoth.md" },
      qdrant: { path: "markdown/qdrant_README.md", name: "qdrant.md" },
    };
    for (const [k, f] of Object.entries(files)) {
      const up = await upload(s.t, kb.ingestKey, kb.kbId, { bytes: await fixture(f.path), name: f.name });
      expect(up.status).toBe(202);
      docs[k as keyof typeof docs] = up.body.id;
    }
    for (const id of Object.values(docs)) {
      expect((await waitForTerminal(s.t, kb.ingestKey, id)).status).toBe("ready");
    }
  }, 120_000);
  afterAll(async () => s?.close());

  it("stores questions, runs them through search, lists misses and keeps runs", async () => {
    const created = await s.t.call("POST", EVALS(kb.kbId), {
      key: kb.adminKey,
      body: {
        questions: [
          {
            question: "trace-based just-in-time compilation of JavaScript loops",
            expected: [{ document_id: docs.pdf, pages: [1] }],
          },
          { question: "convert .docx Word documents to HTML", expected: [{ document_id: docs.mammoth }] },
          {
            question: "vector similarity search engine and database",
            expected: [{ document_id: docs.qdrant }],
          },
          // Deliberately wrong: this is what the mammoth README is about, not the Qdrant one.
          {
            question: "mammoth docx to HTML conversion with style maps",
            expected: [{ document_id: docs.qdrant }],
          },
        ],
      },
    });
    expect(created.status).toBe(201);
    expect(created.body.data).toHaveLength(4);
    expect(created.body.data[0]).toMatchObject({
      knowledge_base_id: kb.kbId,
      expected: [{ document_id: docs.pdf, pages: [1] }],
    });
    const listed = await s.t.call("GET", `${EVALS(kb.kbId)}?limit=3`, { key: queryKey });
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((q: any) => q.id)).toEqual(
      created.body.data.slice(0, 3).map((q: any) => q.id),
    );
    expect(listed.body.next_cursor).toBe(created.body.data[2].id);

    const run = await s.t.call("POST", `${EVALS(kb.kbId)}/run`, { key: queryKey, body: { top_k: 3 } });
    expect(run.status).toBe(201);
    expect(run.body).toMatchObject({
      knowledge_base_id: kb.kbId,
      mode: "hybrid",
      questions: 4,
      settings: { top_k: 3, miss_cutoff: 3, chunk_size: 400, embedder: "offline-hash-v1-384" },
    });
    const m = run.body.metrics;
    // Three questions are found first; the wrong one is not found at all.
    expect(m.recall_at_1).toBeCloseTo(0.75, 6);
    expect(m.recall_at_5).toBeCloseTo(0.75, 6);
    expect(m.mrr_at_10).toBeCloseTo(0.75, 6);
    expect(m.ndcg_at_10).toBeCloseTo(0.75, 6);
    expect(run.body.misses_count).toBe(1);
    const miss = run.body.misses[0];
    expect(miss).toMatchObject({
      question_id: created.body.data[3].id,
      question: "mammoth docx to HTML conversion with style maps",
      expected: [{ document_id: docs.qdrant }],
      found_ranks: [null],
    });
    expect(miss.top.length).toBe(3);
    expect(miss.top[0]).toMatchObject({ document_id: docs.mammoth });
    expect(typeof miss.top[0].text).toBe("string");

    // Page-level relevance: the same PDF question expecting its last page misses.
    const sparse = await s.t.call("POST", `${EVALS(kb.kbId)}/run`, {
      key: queryKey,
      body: { mode: "sparse" },
    });
    expect(sparse.status).toBe(201);
    expect(sparse.body.settings).toMatchObject({ mode: "sparse", top_k: 10 });

    const runs = await s.t.call("GET", `${EVALS(kb.kbId)}/runs`, { key: queryKey });
    expect(runs.status).toBe(200);
    expect(runs.body.data.map((r: any) => r.id)).toEqual([sparse.body.id, run.body.id]);
    expect(runs.body.data[0].misses).toBeUndefined();
    expect(runs.body.data[1].metrics).toEqual(run.body.metrics);
    const page = await s.t.call("GET", `${EVALS(kb.kbId)}/runs?limit=1`, { key: queryKey });
    expect(page.body.next_cursor).toBe(sparse.body.id);
    const next = await s.t.call("GET", `${EVALS(kb.kbId)}/runs?limit=1&cursor=${page.body.next_cursor}`, {
      key: queryKey,
    });
    expect(next.body.data.map((r: any) => r.id)).toEqual([run.body.id]);
    const one = await s.t.call("GET", `${EVALS(kb.kbId)}/runs/${run.body.id}`, { key: queryKey });
    expect(one.status).toBe(200);
    expect(one.body.misses).toEqual(run.body.misses);

    const del = await s.t.call("DELETE", `${EVALS(kb.kbId)}/${created.body.data[3].id}`, {
      key: kb.adminKey,
    });
    expect(del.status).toBe(200);
    const again = await s.t.call("DELETE", `${EVALS(kb.kbId)}/${created.body.data[3].id}`, {
      key: kb.adminKey,
    });
    expect(again.status).toBe(404);
    const after = await s.t.call("POST", `${EVALS(kb.kbId)}/run`, { key: queryKey });
    expect(after.status).toBe(201);
    expect(after.body).toMatchObject({ questions: 3, misses_count: 0, settings: { top_k: 10 } });
  }, 60_000);

  it("judges page-level questions by the pages of the chunks found", async () => {
    const { kbId } = kb;
    const created = await s.t.call("POST", EVALS(kbId), {
      key: kb.adminKey,
      body: {
        questions: [
          {
            question: "trace-based just-in-time compilation of JavaScript loops",
            expected: [{ document_id: docs.pdf, pages: [99] }],
          },
        ],
      },
    });
    expect(created.status).toBe(201);
    const run = await s.t.call("POST", `${EVALS(kbId)}/run`, { key: queryKey });
    const miss = run.body.misses.find((x: any) => x.question_id === created.body.data[0].id);
    expect(miss).toMatchObject({ found_ranks: [null] });
    expect(miss.top[0]).toMatchObject({ document_id: docs.pdf });
    expect(miss.top[0].page_start).toBeGreaterThanOrEqual(1);
    await s.t.call("DELETE", `${EVALS(kbId)}/${created.body.data[0].id}`, { key: kb.adminKey });
  });

  it("validates expected documents against the knowledge base", async () => {
    const otherDoc = await upload(s.t, other.ingestKey, other.kbId, {
      bytes: await fixture("markdown/xquad_README.md"),
      name: "xquad.md",
    });
    const r = await s.t.call("POST", EVALS(kb.kbId), {
      key: kb.adminKey,
      body: {
        questions: [
          { question: "ok", expected: [{ document_id: docs.pdf }] },
          { question: "foreign", expected: [{ document_id: otherDoc.body.id }] },
        ],
      },
    });
    expect(r.status).toBe(400);
    expect(r.body.code).toBe("validation_failed");
    expect(r.body.errors).toEqual([
      { field: "questions.1.expected.0.document_id", message: expect.stringContaining(otherDoc.body.id) },
    ]);
    const bad = await s.t.call("POST", EVALS(kb.kbId), {
      key: kb.adminKey,
      body: { questions: [{ question: "x", expected: [] }] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe("questions.0.expected");
  });

  it("documents every eval operation in the OpenAPI spec", async () => {
    const r = await s.t.call("GET", "/openapi.json", { key: null });
    const paths = r.body.paths;
    expect(Object.keys(paths["/v1/knowledge-bases/{id}/evals"])).toEqual(
      expect.arrayContaining(["get", "post"]),
    );
    expect(paths["/v1/knowledge-bases/{id}/evals/{questionId}"].delete).toBeDefined();
    expect(paths["/v1/knowledge-bases/{id}/evals/run"].post).toBeDefined();
    expect(paths["/v1/knowledge-bases/{id}/evals/runs"].get).toBeDefined();
    expect(paths["/v1/knowledge-bases/{id}/evals/runs/{runId}"].get).toBeDefined();
  });

  it("runs on an empty golden set are a 409 that says what to do", async () => {
    const r = await s.t.call("POST", `${EVALS(other.kbId)}/run`, { key: other.adminKey });
    expect(r.status).toBe(409);
    expect(r.body.detail).toContain(`POST /v1/knowledge-bases/${other.kbId}/evals`);
  });

  it("another tenant's knowledge base is a 404 on every eval route", async () => {
    const key = other.adminKey;
    const calls: [string, string, unknown?][] = [
      ["GET", EVALS(kb.kbId)],
      ["POST", EVALS(kb.kbId), { questions: [{ question: "q", expected: [{ document_id: docs.pdf }] }] }],
      ["POST", `${EVALS(kb.kbId)}/run`, {}],
      ["GET", `${EVALS(kb.kbId)}/runs`],
      ["DELETE", `${EVALS(kb.kbId)}/evq_whatever`],
    ];
    for (const [method, path, body] of calls) {
      const r = await s.t.call(method, path, { key, body });
      expect(r.status, `${method} ${path}`).toBe(404);
      expect(r.body.code).toBe("not_found");
    }
    // Their own question ids cannot be deleted through another knowledge base either.
    const mine = await s.t.call("GET", EVALS(kb.kbId), { key: kb.adminKey });
    const r = await s.t.call("DELETE", `${EVALS(other.kbId)}/${mine.body.data[0].id}`, {
      key: other.adminKey,
    });
    expect(r.status).toBe(404);
  });

  it("needs admin to change the set and query to run or read it", async () => {
    const body = { questions: [{ question: "q", expected: [{ document_id: docs.pdf }] }] };
    const write = await s.t.call("POST", EVALS(kb.kbId), { key: queryKey, body });
    expect(write.status).toBe(403);
    expect(write.body.detail).toContain("`admin` scope");
    const mine = await s.t.call("GET", EVALS(kb.kbId), { key: queryKey });
    const del = await s.t.call("DELETE", `${EVALS(kb.kbId)}/${mine.body.data[0].id}`, { key: queryKey });
    expect(del.status).toBe(403);
    for (const [method, path] of [
      ["POST", `${EVALS(kb.kbId)}/run`],
      ["GET", `${EVALS(kb.kbId)}/runs`],
      ["GET", EVALS(kb.kbId)],
    ] as const) {
      const r = await s.t.call(method, path, { key: kb.ingestKey });
      expect(r.status, `${method} ${path}`).toBe(403);
      expect(r.body.detail).toContain("`query` scope");
    }
    const noKey = await s.t.call("GET", EVALS(kb.kbId), { key: null });
    expect(noKey.status).toBe(401);
  });
});
