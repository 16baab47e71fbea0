import { eq } from "drizzle-orm";
import type { Db } from "../../src/db/client.js";
import { documentVersions } from "../../src/db/schema.js";
import type { ChunkPoint } from "../../src/vector/types.js";
import type { Chunk } from "../types.js";
import { EMBED_BATCH, type PipelineDeps } from "./deps.js";
import { embedForKb, indexTextFor } from "./kb-embedding.js";
import type { LoadedJob } from "./load.js";

/** The version row vanished mid-run: its document (or knowledge base) was deleted. */
export class VersionGoneError extends Error {
  constructor(versionId: string) {
    super(`document version ${versionId} was deleted while it was being indexed`);
    this.name = "VersionGoneError";
  }
}

/**
 * Embeds and upserts chunks in batches while they are still being produced (a PDF is chunked as its
 * pages arrive), in ordinal order, skipping the chunks an earlier attempt recorded as indexed.
 * Chunking is deterministic and point ids derive from (version, ordinal), so a batch repeated after
 * a crash overwrites itself and a resumed attempt neither loses nor duplicates points.
 */
export class ChunkIndexer {
  private readonly waiting: Chunk[] = [];
  /** Chunks below this ordinal were indexed by an earlier attempt. */
  private readonly resumeFrom: number;
  private title: string | null = null;
  private running: Promise<void> | null = null;
  private failure: { error: unknown } | null = null;
  private embedMs = 0;
  private indexMs = 0;
  /** Set once finish() was called: nothing more will be pushed. */
  private finishing = false;

  constructor(
    private readonly deps: PipelineDeps,
    private readonly job: LoadedJob,
    private readonly opts: { keyId: string | null; signal: AbortSignal },
  ) {
    this.resumeFrom = job.version.chunksIndexed;
  }

  /** The title embedded with every chunk; must be known before the first chunk is pushed. */
  setTitle(title: string): void {
    this.title = title;
  }

  /** Chunks in ordinal order; full batches are indexed in the background. */
  push(chunks: Chunk[]): void {
    for (const c of chunks) if (c.ordinal >= this.resumeFrom) this.waiting.push(c);
    if (!this.running && this.waiting.length >= EMBED_BATCH) this.start(false);
  }

  /** Indexes everything pushed; rethrows the first failure. Adds embed_ms and index_ms to timings. */
  async finish(timings: Record<string, number>): Promise<void> {
    while (this.running) await this.running;
    this.finishing = true;
    if (!this.failure) this.start(true);
    while (this.running) await this.running;
    if (this.failure) throw this.failure.error;
    timings.embed_ms = (timings.embed_ms ?? 0) + Math.round(this.embedMs);
    timings.index_ms = (timings.index_ms ?? 0) + Math.round(this.indexMs);
  }

  /** Drops chunks not yet started and waits for a batch in flight; for when extraction failed. */
  async stop(): Promise<void> {
    this.waiting.length = 0;
    while (this.running) await this.running;
  }

  /** Runs batches in the background; `running` is cleared once they are done (never synchronously). */
  private start(final: boolean): void {
    const run: Promise<void> = this.run(final).finally(() => {
      if (this.running === run) this.running = null;
    });
    this.running = run;
  }

  private async run(final: boolean): Promise<void> {
    try {
      while (!this.failure && (this.waiting.length >= EMBED_BATCH || (final && this.waiting.length > 0))) {
        await this.indexBatch(this.waiting.splice(0, EMBED_BATCH));
      }
    } catch (error) {
      this.failure = { error };
    }
  }

  private async indexBatch(batch: Chunk[]): Promise<void> {
    const { deps, job, opts } = this;
    opts.signal.throwIfAborted();
    const { db } = deps.database;
    const { version, document } = job;
    if (this.title === null)
      throw new Error("ChunkIndexer: setTitle() must be called before chunks are indexed");
    const title = this.title;
    const done = batch.at(-1)!.ordinal + 1;
    let started = performance.now();
    const indexText = indexTextFor(deps, job.kb);
    const { embedded, vectors, model } = await embedForKb(
      deps,
      job.kb,
      batch.map((c) => indexText(title, c.text)),
      opts.signal,
    );
    this.embedMs += performance.now() - started;
    // The last batch saves embedding progress together with indexing progress below: one round trip
    // less per document, which is most of a small document's cost.
    const last = this.finishing && this.waiting.length === 0;
    if (!last) await saveProgress(db, version.id, { chunksEmbedded: done });

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
        title,
        meta: document.metadata,
      },
    }));
    await vectors.upsert(version.tenantId, points);
    this.indexMs += performance.now() - started;

    // Progress and billing move together, so a repeated batch is neither lost nor billed twice.
    await db.transaction(async (tx) => {
      await saveProgress(tx, version.id, {
        ...(last ? { chunksEmbedded: done } : {}),
        chunksIndexed: done,
        embeddingTokens: version.embeddingTokens + embedded.tokens,
      });
      if (embedded.tokens > 0 || embedded.costMicros > 0) {
        await deps.usage.recordEmbedding(tx, {
          tenantId: version.tenantId,
          keyId: opts.keyId,
          kbId: document.kbId,
          model,
          tokens: embedded.tokens,
          costMicros: embedded.costMicros,
        });
      }
    });
    version.embeddingTokens += embedded.tokens;
  }
}

export async function saveProgress(
  db: Db,
  versionId: string,
  set: Partial<typeof documentVersions.$inferInsert>,
) {
  const rows = await db
    .update(documentVersions)
    .set({ ...set, updatedAt: new Date() })
    .where(eq(documentVersions.id, versionId))
    .returning({ id: documentVersions.id });
  if (rows.length === 0) throw new VersionGoneError(versionId);
}
