import { eq } from "drizzle-orm";
import type { Db } from "../../src/db/client.js";
import { documentVersions } from "../../src/db/schema.js";
import { chunkIndexText } from "../../src/models/embedders/offline/index.js";
import { recordUsage } from "../../src/services/ledger/record.js";
import type { ChunkPoint } from "../../src/vector/types.js";
import { EMBED_BATCH, type PipelineDeps } from "./deps.js";
import type { Extracted } from "./extract.js";
import type { LoadedJob } from "./load.js";

/** The version row vanished mid-run: its document (or knowledge base) was deleted. */
export class VersionGoneError extends Error {
  constructor(versionId: string) {
    super(`document version ${versionId} was deleted while it was being indexed`);
    this.name = "VersionGoneError";
  }
}

/**
 * Embeds and upserts chunks in batches, starting after the last batch an earlier attempt recorded as
 * indexed. Point ids are deterministic, so a batch repeated after a crash overwrites itself.
 */
export async function indexChunks(
  deps: PipelineDeps,
  job: LoadedJob,
  extracted: Extracted,
  opts: { keyId: string | null; signal: AbortSignal; timings: Record<string, number> },
): Promise<void> {
  const { db } = deps.database;
  const { version, document } = job;
  let embedMs = 0;
  let indexMs = 0;
  for (let from = version.chunksIndexed; from < extracted.chunks.length; from += EMBED_BATCH) {
    opts.signal.throwIfAborted();
    const batch = extracted.chunks.slice(from, from + EMBED_BATCH);
    let started = performance.now();
    const embedded = await deps.embedder.embedDocuments(
      batch.map((c) => chunkIndexText(extracted.title, c.text)),
      { signal: opts.signal },
    );
    embedMs += performance.now() - started;
    await saveProgress(db, version.id, { chunksEmbedded: from + batch.length });

    started = performance.now();
    const points: ChunkPoint[] = batch.map((c, i) => ({
      dense: embedded.dense[i]!,
      sparse: embedded.sparse[i]!,
      payload: {
        kb_id: document.kbId,
        doc_id: document.id,
        doc_version: version.id,
        chunk: c.ordinal,
        page_start: c.pageStart,
        page_end: c.pageEnd,
        heading_path: c.headingPath,
        text: c.text,
        char_start: c.charStart,
        char_end: c.charEnd,
        title: extracted.title,
        meta: document.metadata,
      },
    }));
    await deps.vectors.upsert(version.tenantId, points);
    indexMs += performance.now() - started;

    // Progress and billing move together, so a repeated batch is neither lost nor billed twice.
    await db.transaction(async (tx) => {
      await saveProgress(tx as unknown as Db, version.id, {
        chunksIndexed: from + batch.length,
        embeddingTokens: version.embeddingTokens + embedded.tokens,
      });
      if (embedded.tokens > 0 || embedded.costMicros > 0) {
        await recordUsage(tx as unknown as Db, {
          tenantId: version.tenantId,
          keyId: opts.keyId,
          kind: "embedding",
          kbIds: [document.kbId],
          model: deps.embedder.id,
          embeddingTokens: embedded.tokens,
          costMicros: embedded.costMicros,
          usageSource: "provider",
          status: "ok",
        });
      }
    });
    version.embeddingTokens += embedded.tokens;
  }
  opts.timings.embed_ms = (opts.timings.embed_ms ?? 0) + Math.round(embedMs);
  opts.timings.index_ms = (opts.timings.index_ms ?? 0) + Math.round(indexMs);
}

async function saveProgress(db: Db, versionId: string, set: Partial<typeof documentVersions.$inferInsert>) {
  const rows = await db
    .update(documentVersions)
    .set(set)
    .where(eq(documentVersions.id, versionId))
    .returning({ id: documentVersions.id });
  if (rows.length === 0) throw new VersionGoneError(versionId);
}
