import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { createGzip, gunzipSync } from "node:zlib";

/**
 * The backup file: gzip over a magic line and entries, each a 4-byte length, a JSON header
 * {path, size} and `size` bytes. Simple enough to read without this code; paths are checked on restore.
 */
const MAGIC = Buffer.from("AIHUB-BACKUP 1\n");

export type ArchiveEntry = { path: string; size: number } & (
  | { bytes: Uint8Array | Buffer }
  | { file: string }
);

async function* frames(entries: AsyncIterable<ArchiveEntry> | Iterable<ArchiveEntry>) {
  yield MAGIC;
  for await (const e of entries) {
    const header = Buffer.from(JSON.stringify({ path: e.path, size: e.size }));
    const len = Buffer.alloc(4);
    len.writeUInt32BE(header.length);
    yield Buffer.concat([len, header]);
    if ("bytes" in e) yield Buffer.from(e.bytes);
    else {
      let seen = 0;
      for await (const chunk of createReadStream(e.file)) {
        seen += (chunk as Buffer).length;
        yield chunk as Buffer;
      }
      if (seen !== e.size) throw new Error(`${e.path} changed while it was being archived`);
    }
  }
}

/** The gzip-compressed archive as a Node stream. */
export function archiveStream(entries: AsyncIterable<ArchiveEntry> | Iterable<ArchiveEntry>): Readable {
  return Readable.from(frames(entries)).pipe(createGzip({ level: 6 }));
}

/** Entries of an archive read whole into memory (embedded-profile sizes). */
export function* readArchive(gz: Buffer): Generator<{ path: string; bytes: Buffer }> {
  const buf = gunzipSync(gz);
  if (!buf.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error("not an AI Hub backup file");
  let at = MAGIC.length;
  while (at < buf.length) {
    const len = buf.readUInt32BE(at);
    const header = JSON.parse(buf.subarray(at + 4, at + 4 + len).toString()) as {
      path: string;
      size: number;
    };
    const start = at + 4 + len;
    if (start + header.size > buf.length) throw new Error(`backup file truncated in ${header.path}`);
    yield { path: header.path, bytes: buf.subarray(start, start + header.size) };
    at = start + header.size;
  }
}
