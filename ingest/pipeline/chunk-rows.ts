import { eq } from "drizzle-orm";
import type { Db } from "../../src/db/client.js";
import { chunks } from "../../src/db/schema.js";
import type { Chunk } from "../types.js";
import { CHUNK_INSERT_BATCH } from "./deps.js";
import type { LoadedJob } from "./load.js";

/**
 * Stores a version's chunk rows as chunks are produced, one multi-row INSERT per CHUNK_INSERT_BATCH,
 * one statement at a time. The rows only count once the version's chunk count is set (in the same
 * transaction as the last rows, see extractChunks), so a crash midway leaves rows that the next
 * attempt deletes before it starts writing.
 */
export class ChunkRowWriter {
  private readonly waiting: Chunk[] = [];
  private writing: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | null = null;

  constructor(
    private readonly db: Db,
    private readonly job: LoadedJob,
  ) {}

  /** Removes rows an interrupted earlier attempt left behind. */
  async clear(): Promise<void> {
    await this.db.delete(chunks).where(eq(chunks.versionId, this.job.version.id));
  }

  push(pieces: Chunk[]): void {
    for (const c of pieces) this.waiting.push(c);
    while (this.waiting.length >= CHUNK_INSERT_BATCH) {
      const batch = this.waiting.splice(0, CHUNK_INSERT_BATCH);
      this.writing = this.writing.then(() => this.insert(this.db, batch));
    }
  }

  /** Waits for the writes in flight. Call before opening the transaction flushInto writes into. */
  async settle(): Promise<void> {
    await this.writing;
    if (this.failure) throw this.failure.error;
  }

  /** Writes the rows not yet written into `tx`, which also sets the version's chunk count. */
  async flushInto(tx: Db): Promise<void> {
    const rest = this.waiting.splice(0);
    for (let i = 0; i < rest.length; i += CHUNK_INSERT_BATCH) {
      await this.insert(tx, rest.slice(i, i + CHUNK_INSERT_BATCH));
      if (this.failure) throw this.failure.error;
    }
  }

  /** Settles writes in flight; for when the attempt failed. */
  async stop(): Promise<void> {
    this.waiting.length = 0;
    await this.writing;
  }

  private async insert(db: Db, batch: Chunk[]): Promise<void> {
    if (this.failure) return;
    const { version } = this.job;
    try {
      await db.insert(chunks).values(
        batch.map((c) => ({
          versionId: version.id,
          tenantId: version.tenantId,
          ordinal: c.ordinal,
          text: c.text,
          charStart: c.charStart,
          charEnd: c.charEnd,
          pageStart: c.pageStart,
          pageEnd: c.pageEnd,
          headingPath: c.headingPath,
          tokens: c.tokens,
        })),
      );
    } catch (error) {
      this.failure = { error };
    }
  }
}
