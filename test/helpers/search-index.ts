/**
 * Search fixtures: a real embedded vector engine in a temp dir, and a way to index chunks straight
 * through the embedder and the adapter (with their documents/versions/chunks rows), bypassing uploads.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { QdrantClient } from "@qdrant/js-client-rest";
import { eq } from "drizzle-orm";
import type { Database } from "../../src/db/client.js";
import { chunks, documents, documentVersions } from "../../src/db/schema.js";
import { newId } from "../../src/ids.js";
import { chunkIndexText, createOfflineEmbedder } from "../../src/models/embedders/offline/index.js";
import type { Embedder } from "../../src/models/types.js";
import { startEngine } from "../../src/vector/engine/index.js";
import { collectionNameFor, QdrantIndex } from "../../src/vector/qdrant-index.js";

export interface SearchFixture {
  vectors: QdrantIndex;
  embedder: Embedder;
  url: string;
  close(): Promise<void>;
}

/** `embedder` replaces the offline one (e.g. a billed OpenAI-compatible embedder against the stub). */
export async function startSearchFixture(
  opts: { dimension?: number; embedder?: Embedder } = {},
): Promise<SearchFixture> {
  const dir = await mkdtemp(join(tmpdir(), "aihub-search-"));
  const engine = await startEngine({ dataDir: dir, port: 0 });
  const embedder = opts.embedder ?? createOfflineEmbedder({ dimension: opts.dimension ?? 64 });
  const dimension = embedder.dimension;
  const vectors = new QdrantIndex({
    client: new QdrantClient({ url: engine.url, checkCompatibility: false }),
    collection: collectionNameFor(embedder.id),
    dimension,
  });
  await vectors.ensureReady();
  return {
    vectors,
    embedder,
    url: engine.url,
    async close() {
      await engine.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface FixtureChunk {
  text: string;
  pageStart?: number;
  pageEnd?: number;
  headingPath?: string[];
}

/** Indexes one ready document with the given chunks; offsets are positions in the joined text. */
export async function indexDocument(
  database: Database,
  fx: SearchFixture,
  input: {
    tenantId: string;
    kbId: string;
    title: string;
    chunks: FixtureChunk[];
    metadata?: Record<string, string | number | boolean>;
  },
): Promise<{ documentId: string; versionId: string }> {
  const documentId = newId("doc");
  const versionId = newId("ver");
  const { db } = database;
  await db.insert(documents).values({
    id: documentId,
    tenantId: input.tenantId,
    kbId: input.kbId,
    title: input.title,
    filename: `${input.title}.txt`,
    metadata: input.metadata ?? {},
  });
  await db.insert(documentVersions).values({
    id: versionId,
    documentId,
    tenantId: input.tenantId,
    kbId: input.kbId,
    sha256: newId("req"),
    format: "txt",
    sizeBytes: input.chunks.reduce((n, c) => n + c.text.length, 0),
    blobKey: `test/${versionId}`,
    status: "ready",
    chunks: input.chunks.length,
  });
  let offset = 0;
  const rows = input.chunks.map((c, ordinal) => {
    const row = {
      versionId,
      ordinal,
      tenantId: input.tenantId,
      text: c.text,
      charStart: offset,
      charEnd: offset + c.text.length,
      pageStart: c.pageStart ?? null,
      pageEnd: c.pageEnd ?? c.pageStart ?? null,
      headingPath: c.headingPath ?? [],
      tokens: c.text.split(/\s+/).length,
    };
    offset += c.text.length + 2;
    return row;
  });
  await db.insert(chunks).values(rows);
  await db
    .update(documents)
    .set({ activeVersionId: versionId, latestVersionId: versionId })
    .where(eq(documents.id, documentId));
  const embedded = await fx.embedder.embedDocuments(rows.map((r) => chunkIndexText(input.title, r.text)));
  await fx.vectors.upsert(
    input.tenantId,
    rows.map((r, i) => ({
      dense: embedded.dense[i]!,
      sparse: embedded.sparse[i]!,
      payload: {
        kb_id: input.kbId,
        doc_id: documentId,
        doc_version: versionId,
        chunk: r.ordinal,
        page_start: r.pageStart,
        page_end: r.pageEnd,
        heading_path: r.headingPath,
        text: r.text,
        char_start: r.charStart,
        char_end: r.charEnd,
        title: input.title,
        meta: input.metadata ?? {},
      },
    })),
  );
  return { documentId, versionId };
}
