import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { assertSafeKey, BlobNotFoundError, type BlobStore } from "./types.js";

/** Blobs as files under one directory: the embedded profile, where one process owns DATA_DIR. */
export class FsBlobStore implements BlobStore {
  readonly kind = "fs" as const;
  constructor(private readonly dir: string) {}

  private pathOf(key: string): string {
    assertSafeKey(key);
    return join(this.dir, key);
  }

  async put(key: string, bytes: Uint8Array, _opts?: { tenantId: string }): Promise<void> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    // Write then rename: a crash mid-write never leaves a truncated blob under the real name.
    const tmp = `${path}.${randomBytes(4).toString("hex")}.tmp`;
    await writeFile(tmp, bytes);
    await rename(tmp, path);
  }

  async replace(key: string, bytes: Uint8Array): Promise<boolean> {
    // One process owns DATA_DIR (rotation runs with the service stopped): check, then write.
    const exists = await stat(this.pathOf(key)).then(
      () => true,
      () => false,
    );
    if (exists) await this.put(key, bytes);
    return exists;
  }

  async get(key: string): Promise<Uint8Array> {
    try {
      return new Uint8Array(await readFile(this.pathOf(key)));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") throw new BlobNotFoundError(key);
      throw err;
    }
  }

  async delete(key: string): Promise<number> {
    const path = this.pathOf(key);
    const size = await stat(path).then(
      (s) => s.size,
      () => 0,
    );
    await rm(path, { force: true });
    return size;
  }
}
