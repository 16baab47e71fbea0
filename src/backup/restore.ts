import { existsSync, readdirSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { assertSafeKey } from "../blobs/types.js";
import { SNAPSHOT } from "../vector/engine/store.js";
import { readArchive } from "./archive.js";
import { type BackupManifest, ENTRY } from "./create.js";

/** What restore writes under DATA_DIR; anything else there is left alone. */
const OWNED = ["pg", "vectors", "blobs"] as const;

/**
 * Restores an embedded-profile backup into `dataDir`, which must hold none of pg/, vectors/, blobs/
 * (or `force`: they are replaced). The service must be stopped. Everything is unpacked beside the
 * target first and renamed into place at the end, so a failed restore leaves no half-written state.
 */
export async function restoreBackup(opts: { archive: Buffer; dataDir: string; force?: boolean }) {
  const present = OWNED.filter(
    (d) => existsSync(join(opts.dataDir, d)) && readdirSync(join(opts.dataDir, d)).length,
  );
  if (present.length && !opts.force) {
    throw new Error(
      `${opts.dataDir} already holds ${present.join(", ")}: restore into a fresh DATA_DIR, or stop the service and pass --force to replace them.`,
    );
  }
  const work = join(opts.dataDir, `.restore-${process.pid}`);
  await rm(work, { recursive: true, force: true });
  await mkdir(join(work, "vectors"), { recursive: true });
  await mkdir(join(work, "blobs"), { recursive: true });
  let manifest: BackupManifest | null = null;
  let database: Buffer | null = null;
  let blobs = 0;
  try {
    for (const e of readArchive(opts.archive)) {
      if (e.path === ENTRY.manifest) manifest = JSON.parse(e.bytes.toString()) as BackupManifest;
      else if (e.path === ENTRY.database) database = e.bytes;
      else if (e.path === ENTRY.vectors) await writeFile(join(work, "vectors", SNAPSHOT), e.bytes);
      else if (e.path.startsWith(ENTRY.blobPrefix)) {
        const key = e.path.slice(ENTRY.blobPrefix.length);
        assertSafeKey(key);
        await mkdir(dirname(join(work, "blobs", key)), { recursive: true });
        await writeFile(join(work, "blobs", key), e.bytes);
        blobs++;
      } else throw new Error(`unexpected entry ${JSON.stringify(e.path)} in the backup file`);
    }
    if (manifest?.format !== 1) throw new Error("the backup file has no readable manifest");
    if (!database) throw new Error("the backup file has no database");
    await loadPglite(join(work, "pg"), database);
    for (const d of OWNED) {
      await rm(join(opts.dataDir, d), { recursive: true, force: true });
      await rename(join(work, d), join(opts.dataDir, d));
    }
    return { manifest, blobs };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Unpacks the dump with PGlite itself (which also replays its log), then closes cleanly. */
async function loadPglite(dir: string, dump: Buffer): Promise<void> {
  const { PGlite } = await import("@electric-sql/pglite");
  const pg = new PGlite(dir, { loadDataDir: new Blob([new Uint8Array(dump)]) });
  await pg.waitReady;
  await pg.query("select 1");
  await pg.close();
}
