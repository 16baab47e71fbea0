import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { QdrantClient } from "@qdrant/js-client-rest";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BulkImportBody } from "../../src/routes/documents/bulk.js";
import type { ConfigurePluginRequest } from "../../src/routes/plugins/org.js";
import { collectionNameFor } from "../../src/vector/qdrant-index.js";
import { ask } from "../helpers/ask-app.js";
import {
  batchDone,
  fixture,
  type IngestStack,
  startIngestStack,
  upload,
  waitForTerminal,
} from "../helpers/ingest.js";

/**
 * Embedder plugins (issue 19): a knowledge base that names an enabled embedder plugin has its chunks
 * (batch path and single path) and its queries embedded by the plugin in its sandbox, into a
 * collection of the plugin and dimension; searches and asks find the right chunk through those
 * vectors, also together with a knowledge base of the deployment's embedder. An organization without
 * the plugin cannot choose it, and a plugin answering bad vectors fails its document with
 * plugin_bad_output while the service keeps serving.
 */
let s: IngestStack;
let qdrant: QdrantClient;
const PLUGIN = "tiny-embedder";
const COLLECTION = collectionNameFor(`plugin-${PLUGIN}-d64`);
let org: { adminKey: string; ingestKey: string };
let other: { adminKey: string };

const configure = (key: string, body: ConfigurePluginRequest) =>
  s.t.call("PUT", `/v1/plugins/${PLUGIN}`, { key, body });
const createKb = (key: string, body: Record<string, unknown>) =>
  s.t.call("POST", "/v1/knowledge-bases", { key, body: { name: "Docs", language: "en", ...body } });
const search = (key: string, body: Record<string, unknown>) =>
  s.t.call("POST", "/v1/search", { key, body: { top_k: 5, ...body } });
const pointsIn = async (collection: string, kbId: string) =>
  (
    await qdrant.count(collection, {
      exact: true,
      filter: { must: [{ key: "kb_id", match: { value: kbId } }] },
    })
  ).count;

/** The documents an ask's first answer cites. */
const citedDocuments = (body: {
  sources: { n: number; document_id: string }[];
  answers: { citations: number[] }[];
}) => body.answers[0]!.citations.map((n) => body.sources.find((src) => src.n === n)?.document_id);

async function uploadReady(key: string, kbId: string, path: string, name: string) {
  const up = await upload(s.t, key, kbId, { bytes: await fixture(path), name });
  expect(up.status, JSON.stringify(up.body)).toBe(202);
  return waitForTerminal(s.t, key, up.body.id, 120_000);
}

describe.each(["pglite", "postgres"] as const)("embedder plugins (issue 19, %s)", (kind) => {
  beforeAll(async () => {
    s = await startIngestStack(kind, {
      env: { PLUGINS_DIR: mkdtempSync(join(tmpdir(), "aihub-plugins-")) },
    });
    qdrant = new QdrantClient({ url: s.engine.url, checkCompatibility: false });
    const installed = await s.t.call("POST", "/v1/platform/plugins", {
      body: { folder: resolve("fixtures/plugins/tiny-embedder") },
    });
    expect(installed.status, JSON.stringify(installed.body)).toBe(201);
    const a = await s.t.newTenant("Embedding org");
    org = { adminKey: a.adminKey, ingestKey: (await s.t.newKey(a.adminKey, ["ingest", "query"])).key };
    other = { adminKey: (await s.t.newTenant("Plain org")).adminKey };
    expect((await configure(org.adminKey, { enabled: true, config: {} })).status).toBe(200);
  }, 120_000);
  afterAll(async () => {
    s?.t.deps.plugins?.close();
    await s?.close();
  });

  it("only an organization that enabled the plugin may choose it, and only while the knowledge base is empty", async () => {
    for (const embedder of [`plugin:${PLUGIN}`, "plugin:no-such-plugin", "bogus"]) {
      const refused = await createKb(other.adminKey, { embedder });
      expect(refused.status, embedder).toBe(400);
      expect(refused.body).toMatchObject({ code: "embedder_not_enabled" });
      expect(refused.body.errors[0].field).toBe("embedder");
    }
    const plain = await createKb(other.adminKey, {});
    expect(plain.body).toMatchObject({ embedder: "default", embedder_dimension: null });
    const patched = await s.t.call("PATCH", `/v1/knowledge-bases/${plain.body.id}`, {
      key: other.adminKey,
      body: { embedder: `plugin:${PLUGIN}` },
    });
    expect(patched.status).toBe(400);
    expect(patched.body.code).toBe("embedder_not_enabled");

    const kb = await createKb(org.adminKey, { embedder: `plugin:${PLUGIN}` });
    expect(kb.status, JSON.stringify(kb.body)).toBe(201);
    expect(kb.body).toMatchObject({ embedder: `plugin:${PLUGIN}`, embedder_dimension: null });
    // Empty: the embedder may change back and forth.
    for (const embedder of ["default", `plugin:${PLUGIN}`]) {
      const r = await s.t.call("PATCH", `/v1/knowledge-bases/${kb.body.id}`, {
        key: org.adminKey,
        body: { embedder },
      });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.embedder).toBe(embedder);
    }
  });

  it("ingests on the batch and single paths into the plugin's collection, and search and ask find the right chunk", async () => {
    const kb = (await createKb(org.adminKey, { name: "Engines", embedder: `plugin:${PLUGIN}` })).body;
    // Small files imported together take the batch path; a PDF always takes the single path.
    const zip = new JSZip();
    for (const f of ["qdrant_README.md", "tika_testMARKDOWN.md", "cmrc2018_README_CN.md"])
      zip.file(f, await fixture(`markdown/${f}`));
    const res = await s.t.app.request(`/v1/knowledge-bases/${kb.id}/documents/bulk`, {
      method: "POST",
      headers: { authorization: `Bearer ${org.ingestKey}`, "content-type": "application/zip" },
      body: (await zip.generateAsync({ type: "uint8array" })) as Uint8Array<ArrayBuffer>,
    });
    const imported = (await res.json()) as BulkImportBody;
    expect(imported.accepted, JSON.stringify(imported)).toBe(3);
    expect((await batchDone(s, org.ingestKey, imported.status_url)).documents).toMatchObject({ ready: 3 });
    const mdId = imported.documents.find((d) => d.entry === "qdrant_README.md")!.id;
    const md = (await s.t.call("GET", `/v1/documents/${mdId}`, { key: org.ingestKey })).body;
    expect(md.status, JSON.stringify(md.error)).toBe("ready");
    expect(md.timings.batch).toBe(3);
    const mdChunks = (
      await Promise.all(
        imported.documents.map(
          async (d) =>
            (
              await s.t.call("GET", `/v1/documents/${d.id}`, { key: org.ingestKey })
            ).body.chunks as number,
        ),
      )
    ).reduce((a, b) => a + b, 0);
    const pdf = await uploadReady(org.ingestKey, kb.id, "pdf/pdfjs_tracemonkey.pdf", "tracemonkey.pdf");
    expect(pdf.status, JSON.stringify(pdf.error)).toBe("ready");
    expect(pdf.timings.batch).toBeUndefined();

    // The dimension was learned from the plugin's vectors; every point is in the plugin's collection.
    const got = await s.t.call("GET", `/v1/knowledge-bases/${kb.id}`, { key: org.adminKey });
    expect(got.body).toMatchObject({ embedder: `plugin:${PLUGIN}`, embedder_dimension: 64 });
    const info = await qdrant.getCollection(COLLECTION);
    expect((info.config.params.vectors as Record<string, { size: number }>).dense!.size).toBe(64);
    expect(await pointsIn(COLLECTION, kb.id)).toBe(mdChunks + pdf.chunks);
    expect(await pointsIn(collectionNameFor(s.t.deps.embedder!.id), kb.id)).toBe(0);

    // Dense only: the ranking comes from the plugin's vectors alone.
    for (const mode of ["dense", "hybrid"]) {
      const rust = await search(org.ingestKey, {
        query: "Qdrant is written in Rust, fast and reliable under high load",
        knowledge_base_ids: [kb.id],
        mode,
      });
      expect(rust.status, JSON.stringify(rust.body)).toBe(200);
      expect(rust.body.data[0].document_id).toBe(md.id);
      expect(rust.body.data[0].text).toContain("written in Rust");
    }
    const trace = await search(org.ingestKey, {
      query: "Dynamic languages such as JavaScript are more difficult to compile than statically typed ones",
      knowledge_base_ids: [kb.id],
      mode: "dense",
    });
    expect(trace.body.data[0].document_id).toBe(pdf.id);

    const answered = await ask(s.t, org.ingestKey, {
      question: "What language is Qdrant written in?",
      knowledge_base_ids: [kb.id],
      stream: false,
    });
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
    expect(answered.body.sources[0].document_id).toBe(md.id);
    expect(citedDocuments(answered.body)).toContain(md.id);

    // Documents exist now: the embedder is fixed.
    const locked = await s.t.call("PATCH", `/v1/knowledge-bases/${kb.id}`, {
      key: org.adminKey,
      body: { embedder: "default" },
    });
    expect(locked.status).toBe(409);
    expect(locked.body.code).toBe("kb_not_empty");

    // One ask over knowledge bases of both embedders: each group searched its way, ranks fused.
    const plain = (await createKb(org.adminKey, { name: "Manuals" })).body;
    const mammoth = await uploadReady(org.ingestKey, plain.id, "markdown/mammoth_README.md", "mammoth.md");
    expect(mammoth.status).toBe("ready");
    expect(await pointsIn(COLLECTION, plain.id)).toBe(0);
    for (const [query, doc] of [
      ["Qdrant is written in Rust, fast and reliable under high load", md.id],
      ["Mammoth converts docx documents to HTML", mammoth.id],
    ] as const) {
      const both = await search(org.ingestKey, { query, knowledge_base_ids: [kb.id, plain.id] });
      expect(both.status, JSON.stringify(both.body)).toBe(200);
      // Rank fusion cannot order the two groups' best hits (each is rank 1 of its own ranking):
      // the right one is among the first two, one per group.
      expect(
        both.body.data.slice(0, 2).map((r: { document_id: string }) => r.document_id),
        query,
      ).toContain(doc);
      expect(new Set(both.body.data.map((r: { knowledge_base_id: string }) => r.knowledge_base_id))).toEqual(
        new Set([kb.id, plain.id]),
      );
    }
    const mixed = await ask(s.t, org.ingestKey, {
      question: "What does Mammoth convert .docx documents to?",
      knowledge_base_ids: [plain.id, kb.id],
      stream: false,
    });
    expect(mixed.status, JSON.stringify(mixed.body)).toBe(200);
    expect(mixed.body.sources.slice(0, 2).map((src: { document_id: string }) => src.document_id)).toContain(
      mammoth.id,
    );
    expect(citedDocuments(mixed.body)).toContain(mammoth.id);

    // Deleting a document removes its points from the plugin's collection.
    const del = await s.t.call("DELETE", `/v1/documents/${pdf.id}`, { key: org.adminKey });
    expect(del.status, JSON.stringify(del.body)).toBe(200);
    expect(del.body.points).toBe(pdf.chunks);
    expect(await pointsIn(COLLECTION, kb.id)).toBe(mdChunks);
  }, 240_000);

  it("a plugin answering bad vectors fails its document with plugin_bad_output; the service keeps serving", async () => {
    const kb = (await createKb(org.adminKey, { name: "Faulty", embedder: `plugin:${PLUGIN}` })).body;
    const good = await uploadReady(org.ingestKey, kb.id, "markdown/tika_testMARKDOWN.md", "fine.md");
    expect(good.status).toBe("ready");
    const cases: [ConfigurePluginRequest["config"], RegExp][] = [
      [{ dimension: 32 }, /32-dimensional vectors, but this knowledge base's vectors have 64/],
      [{ fault: "mixed-dimensions" }, /mixed dimensions|vectors have 64/],
      [{ fault: "too-few" }, /answered \d+ vectors for \d+ texts/],
      [{ fault: "not-finite" }, /plugin_bad_output|expected number|non-finite/],
    ];
    for (const [config, message] of cases) {
      expect((await configure(org.adminKey, { enabled: true, config })).status).toBe(200);
      const doc = await uploadReady(org.ingestKey, kb.id, "markdown/xquad_README.md", "xquad.md");
      expect(doc.status, JSON.stringify(config)).toBe("failed");
      expect(doc.error.code).toBe("plugin_bad_output");
      expect(doc.error.message).toMatch(message);
      expect(doc.attempts).toBe(1);
      expect((await s.t.call("GET", "/healthz", { key: null })).status).toBe(200);
      const del = await s.t.call("DELETE", `/v1/documents/${doc.id}`, { key: org.adminKey });
      expect(del.status).toBe(200);
    }
    expect(await pointsIn(COLLECTION, kb.id)).toBe(good.chunks);
    // A wrong query dimension fails that search with the plugin's code (not a 500).
    const wrong = await search(org.ingestKey, { query: "markdown", knowledge_base_ids: [kb.id] });
    expect(wrong.status).toBe(502);
    expect(wrong.body.code).toBe("plugin_bad_output");

    // Fixed again: the knowledge base answers; disabled: its searches say why.
    expect((await configure(org.adminKey, { enabled: true, config: {} })).status).toBe(200);
    const ok = await search(org.ingestKey, { query: "markdown", knowledge_base_ids: [kb.id] });
    expect(ok.status).toBe(200);
    expect(ok.body.data[0].document_id).toBe(good.id);
    expect((await configure(org.adminKey, { enabled: false })).status).toBe(200);
    const off = await search(org.ingestKey, { query: "markdown", knowledge_base_ids: [kb.id] });
    expect(off.status).toBe(400);
    expect(off.body.code).toBe("embedder_not_enabled");
    const up = await uploadReady(org.ingestKey, kb.id, "markdown/xquad_README.md", "later.md");
    expect(up.error.code).toBe("embedder_not_enabled");
    // A form sending every field back still saves: the unchanged embedder is not checked again.
    const renamed = await s.t.call("PATCH", `/v1/knowledge-bases/${kb.id}`, {
      key: org.adminKey,
      body: { name: "Faulty, renamed", embedder: `plugin:${PLUGIN}` },
    });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect((await configure(org.adminKey, { enabled: true, config: {} })).status).toBe(200);
  }, 240_000);
});
