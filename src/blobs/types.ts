/**
 * Where original upload bytes live until their document is deleted. Keys are opaque strings chosen by
 * the caller (`<tenant>/<version>`); a missing key is an error on get and a no-op on delete.
 */
export interface BlobStore {
  readonly kind: "fs" | "postgres";
  put(key: string, bytes: Uint8Array, opts: { tenantId: string }): Promise<void>;
  get(key: string): Promise<Uint8Array>;
  /**
   * Overwrites a blob only if it still exists (re-encryption must not bring back a blob deleted
   * meanwhile); returns whether it wrote.
   */
  replace(key: string, bytes: Uint8Array): Promise<boolean>;
  /** Removes the blob; returns how many bytes were freed (0 when it was already gone). */
  delete(key: string): Promise<number>;
}

export class BlobNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`The original file (blob ${key}) is missing from the blob store; upload the document again.`);
    this.name = "BlobNotFoundError";
  }
}

/** Keys end up in file names: allow only what cannot escape the blob directory. */
export function assertSafeKey(key: string): void {
  if (!/^[A-Za-z0-9_-]+(\/[A-Za-z0-9_-]+)*$/.test(key) || key.length > 512) {
    throw new Error(`invalid blob key ${JSON.stringify(key)}: use letters, digits, _ and - separated by /`);
  }
}
