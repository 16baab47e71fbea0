import { eq } from "drizzle-orm";
import type { Db } from "../db/client.js";
import { blobs } from "../db/schema.js";
import { assertSafeKey, BlobNotFoundError, type BlobStore } from "./types.js";

/**
 * Blobs in PostgreSQL's `blobs` table, so a worker on another machine can read what the API received.
 * Stored as base64 text (the column predates this store); uploads are capped by MAX_UPLOAD_MB.
 */
export class PgBlobStore implements BlobStore {
  readonly kind = "postgres" as const;
  constructor(private readonly db: Db) {}

  async put(key: string, bytes: Uint8Array, opts: { tenantId: string }): Promise<void> {
    assertSafeKey(key);
    const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
    await this.db
      .insert(blobs)
      .values({ key, tenantId: opts.tenantId, data, sizeBytes: bytes.byteLength })
      .onConflictDoUpdate({ target: blobs.key, set: { data, sizeBytes: bytes.byteLength } });
  }

  async replace(key: string, bytes: Uint8Array): Promise<boolean> {
    const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
    const rows = await this.db
      .update(blobs)
      .set({ data, sizeBytes: bytes.byteLength })
      .where(eq(blobs.key, key))
      .returning({ key: blobs.key });
    return rows.length > 0;
  }

  async get(key: string): Promise<Uint8Array> {
    const [row] = await this.db.select({ data: blobs.data }).from(blobs).where(eq(blobs.key, key)).limit(1);
    if (!row) throw new BlobNotFoundError(key);
    return new Uint8Array(Buffer.from(row.data, "base64"));
  }

  async delete(key: string): Promise<number> {
    const rows = await this.db
      .delete(blobs)
      .where(eq(blobs.key, key))
      .returning({ sizeBytes: blobs.sizeBytes });
    return rows[0]?.sizeBytes ?? 0;
  }
}
