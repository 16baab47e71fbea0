import type { Db } from "../db/client.js";
import { documentVersions, openaiFiles } from "../db/schema.js";
import type { EncryptedBlobStore } from "./encryption.js";
import { BlobNotFoundError } from "./types.js";

export interface RotationResult {
  /** Blobs rewritten under the current key (legacy plaintext included). */
  rotated: number;
  /** Blobs already under the current key. */
  current: number;
  /** Keys the database names whose blob is gone (deleted meanwhile, or lost earlier). */
  missing: number;
}

/**
 * Re-encrypts every stored original the database knows of with the first BLOB_ENCRYPTION_KEYS key.
 * Idempotent and resumable: a second run rewrites nothing; an interrupted run leaves each blob whole
 * (stores write then rename, or update one row), readable with the old key or the new one.
 */
export async function rotateBlobs(
  db: Db,
  store: EncryptedBlobStore,
  onProgress?: (done: number, total: number) => void,
): Promise<RotationResult> {
  const rows = [
    ...(await db
      .selectDistinct({ key: documentVersions.blobKey, tenantId: documentVersions.tenantId })
      .from(documentVersions)),
    ...(await db
      .selectDistinct({ key: openaiFiles.blobKey, tenantId: openaiFiles.tenantId })
      .from(openaiFiles)),
  ];
  const seen = new Set<string>();
  const result: RotationResult = { rotated: 0, current: 0, missing: 0 };
  for (const row of rows) {
    if (seen.has(row.key)) continue;
    seen.add(row.key);
    try {
      if (await store.rotate(row.key)) result.rotated++;
      else result.current++;
    } catch (err) {
      if (!(err instanceof BlobNotFoundError)) throw err;
      result.missing++;
    }
    onProgress?.(seen.size, rows.length);
  }
  return result;
}
