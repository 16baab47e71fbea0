import { randomBytes } from "node:crypto";
import { copyFile, link, mkdir, readdir, rm, stat } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { Readable } from "node:stream";
import type { Logger } from "../context.js";
import { API_VERSION } from "../version.js";
import { type ArchiveEntry, archiveStream } from "./archive.js";
import type { WriteGate } from "./gate.js";
import type { BackupManifest, BackupSource } from "./types.js";

export type { BackupManifest, BackupSource } from "./types.js";

/** Entry paths inside the archive (also what restore writes under DATA_DIR). */
export const ENTRY = {
  manifest: "manifest.json",
  database: "pg.tar.gz",
  vectors: "vectors/snapshot.bin",
  blobPrefix: "blobs/",
} as const;

/**
 * The embedded profile's backup. Inside the write barrier: the PGlite dump (atomic, between
 * transactions), the engine's in-memory snapshot (synchronous, one sequence number) and hard links of
 * every blob file (cheap; the originals are written by rename and removed by unlink, so a link keeps
 * the bytes of that instant). Compression and streaming happen after the barrier is lifted.
 */
export function embeddedBackupSource(opts: {
  gate: WriteGate;
  dumpDatabase: () => Promise<Blob>;
  exportVectors: () => { lsn: number; frames: Buffer[] };
  dataDir: string;
  logger: Logger;
  barrierTimeoutMs?: number;
}): BackupSource {
  const blobDir = join(opts.dataDir, "blobs");
  return {
    async create() {
      const staging = join(opts.dataDir, `.backup-${randomBytes(6).toString("hex")}`);
      try {
        const held = await opts.gate.hold(async () => {
          const database = Buffer.from(await (await opts.dumpDatabase()).arrayBuffer());
          const vectors = opts.exportVectors();
          const blobs = await linkTree(blobDir, staging);
          return { database, vectors, blobs, at: new Date() };
        }, opts.barrierTimeoutMs ?? 30_000);
        const { database, vectors, blobs, at } = held.value;
        const manifest: BackupManifest = {
          format: 1,
          profile: "embedded",
          created_at: at.toISOString(),
          api_version: API_VERSION,
          vectors_lsn: vectors.lsn,
          blobs: blobs.length,
          database_bytes: database.length,
          barrier_ms: Math.round(held.heldMs),
          barrier_wait_ms: Math.round(held.waitedMs),
        };
        opts.logger.info({ backup: manifest }, "backup taken; streaming");
        const vectorBytes = Buffer.concat(vectors.frames);
        const entries: ArchiveEntry[] = [
          { path: ENTRY.manifest, size: 0, bytes: Buffer.from(JSON.stringify(manifest)) },
          { path: ENTRY.database, size: database.length, bytes: database },
          { path: ENTRY.vectors, size: vectorBytes.length, bytes: vectorBytes },
          ...blobs.map((b) => ({ path: `${ENTRY.blobPrefix}${b.key}`, size: b.size, file: b.file })),
        ];
        const manifestEntry = entries[0] as { size: number; bytes: Buffer };
        manifestEntry.size = manifestEntry.bytes.length;
        const stream = archiveStream(entries);
        const cleanup = () => void rm(staging, { recursive: true, force: true });
        stream.once("close", cleanup);
        stream.once("error", cleanup);
        return { manifest, stream: Readable.toWeb(stream) as ReadableStream<Uint8Array> };
      } catch (err) {
        await rm(staging, { recursive: true, force: true });
        throw err;
      }
    },
  };
}

/** Hard-links every finished blob file under `from` into `to`; returns them with their keys. */
async function linkTree(from: string, to: string) {
  const out: { key: string; file: string; size: number }[] = [];
  const names = await readdir(from, { recursive: true }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return [] as string[];
    throw err;
  });
  for (const name of names.sort()) {
    if (name.endsWith(".tmp")) continue;
    const src = join(from, name);
    const st = await stat(src).catch(() => null);
    if (!st?.isFile()) continue;
    const dst = join(to, name);
    await mkdir(dirname(dst), { recursive: true });
    // A volume without hard links gets a copy instead: slower, and still inside the barrier.
    await link(src, dst).catch((err: NodeJS.ErrnoException) => {
      if (!["EPERM", "EXDEV", "ENOTSUP", "EOPNOTSUPP", "EMLINK"].includes(err.code ?? "")) throw err;
      return copyFile(src, dst);
    });
    out.push({ key: relative(from, src).split("\\").join("/"), file: dst, size: st.size });
  }
  return out;
}
