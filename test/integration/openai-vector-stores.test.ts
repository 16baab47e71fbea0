import { readFile } from "node:fs/promises";
import OpenAI, { toFile } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURES, type IngestStack, startIngestStack, tenantWithKb } from "../helpers/ingest.js";
import { serveOverHttp } from "../helpers/serve.js";

/** Files and vector stores through the official `openai` package: only baseURL and apiKey change. */
describe("files and vector stores with the openai SDK", () => {
  let s: IngestStack;
  let http: Awaited<ReturnType<typeof serveOverHttp>>;
  let client: OpenAI;

  beforeAll(async () => {
    s = await startIngestStack("pglite");
    const { adminKey } = await tenantWithKb(s.t);
    http = await serveOverHttp(s.t.app);
    client = new OpenAI({ baseURL: `${http.baseURL}/v1`, apiKey: adminKey });
  }, 180_000);
  afterAll(async () => {
    await http?.close();
    await s?.close();
  });

  const upload = async (path: string, name: string) =>
    client.files.create({
      file: await toFile(await readFile(`${FIXTURES}${path}`), name),
      purpose: "assistants",
    });

  it("uploads, batches, polls, searches with attribute filters, and grounds a chat in the store", async () => {
    const pdf = await upload("pdf/pdfjs_tracemonkey.pdf", "tracemonkey.pdf");
    const md = await upload("markdown/qdrant_README.md", "qdrant.md");
    expect(pdf).toMatchObject({ object: "file", filename: "tracemonkey.pdf", purpose: "assistants" });
    expect((await client.files.retrieve(pdf.id)).bytes).toBe(pdf.bytes);
    const listed = [];
    for await (const f of client.files.list()) listed.push(f.id);
    expect(listed).toEqual([md.id, pdf.id]);
    const bytes = new Uint8Array(await (await client.files.content(md.id)).arrayBuffer());
    expect(bytes).toEqual(new Uint8Array(await readFile(`${FIXTURES}markdown/qdrant_README.md`)));

    const store = await client.vectorStores.create({
      name: "Papers",
      chunking_strategy: { type: "static", static: { max_chunk_size_tokens: 400, chunk_overlap_tokens: 60 } },
    });
    expect(store).toMatchObject({ object: "vector_store", name: "Papers" });
    const batch = await client.vectorStores.fileBatches.createAndPoll(
      store.id,
      {
        files: [
          { file_id: pdf.id, attributes: { kind: "paper", year: 2009 } },
          { file_id: md.id, attributes: { kind: "readme", year: 2024 } },
        ],
      },
      { pollIntervalMs: 200 },
    );
    expect(batch.status).toBe("completed");
    expect(batch.file_counts).toMatchObject({ completed: 2, total: 2, failed: 0 });

    const files = [];
    for await (const f of client.vectorStores.files.list(store.id)) files.push(f);
    expect(files.map((f) => f.id).sort()).toEqual([pdf.id, md.id].sort());
    expect(files.find((f) => f.id === pdf.id)?.attributes).toEqual({ kind: "paper", year: 2009 });

    const papers = [];
    for await (const r of client.vectorStores.search(store.id, {
      query: "trace trees for dynamic languages",
      filters: { type: "eq", key: "kind", value: "paper" },
      max_num_results: 5,
    }))
      papers.push(r);
    expect(papers.length).toBeGreaterThan(0);
    expect(papers.every((r) => r.file_id === pdf.id && typeof r.attributes?.page_start === "number")).toBe(
      true,
    );

    const recent = [];
    for await (const r of client.vectorStores.search(store.id, {
      query: ["vector search engine", "trace"],
      filters: {
        type: "and",
        filters: [
          { type: "gte", key: "year", value: 2010 },
          { type: "ne", key: "kind", value: "paper" },
        ],
      },
    }))
      recent.push(r);
    expect(recent.length).toBeGreaterThan(0);
    expect(recent.every((r) => r.file_id === md.id)).toBe(true);

    const completion = await client.chat.completions.create({
      model: `extractive@${store.id}`,
      messages: [{ role: "user", content: "What is a trace tree?" }],
    });
    const citations = (
      completion.choices[0]!.message as unknown as {
        citations: { page_start: number | null; document_id: string }[];
      }
    ).citations;
    expect(citations.some((c) => typeof c.page_start === "number")).toBe(true);

    const removed = await client.vectorStores.files.delete(md.id, { vector_store_id: store.id });
    expect(removed.deleted).toBe(true);
    expect((await client.vectorStores.retrieve(store.id)).file_counts.total).toBe(1);
    expect((await client.files.delete(md.id)).deleted).toBe(true);
    await expect(client.files.retrieve(md.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    const renamed = await client.vectorStores.update(store.id, { name: "Renamed" });
    expect(renamed.name).toBe("Renamed");
    expect((await client.vectorStores.delete(store.id)).deleted).toBe(true);
  });

  it("refuses a static chunking that differs from the store's, and deep filters, by name", async () => {
    const store = await client.vectorStores.create({ name: "Strict" });
    const f = await upload("markdown/mammoth_README.md", "m.md");
    const err = await client.vectorStores.files
      .create(store.id, {
        file_id: f.id,
        chunking_strategy: {
          type: "static",
          static: { max_chunk_size_tokens: 800, chunk_overlap_tokens: 100 },
        },
      })
      .catch((e) => e);
    expect(err.status).toBe(400);
    expect(err.message).toMatch(/chunking_strategy/);
    const deep = await client.vectorStores
      .search(store.id, {
        query: "x",
        filters: { type: "or", filters: [{ type: "and", filters: [{ type: "eq", key: "a", value: 1 }] }] },
      })
      .catch((e) => e);
    expect(deep.status).toBe(400);
  });
});
