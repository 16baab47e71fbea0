import { inflateRawSync } from "node:zlib";
import { MAX_UNZIPPED_BYTES, MAX_ZIP_RATIO } from "./limits.js";

/**
 * Just enough ZIP reading to tell a DOCX from other Office/zip files, to read its small metadata
 * part (docProps/core.xml), and to check an archive against size caps before anything else
 * (mammoth) inflates it. Every read is capped: see readZipCapped.
 */
export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  localHeaderOffset: number;
  /** General-purpose flags (bit 0: encrypted). */
  flags: number;
  /** Host attributes; on Unix the high 16 bits are the file mode (a symbolic link is 0o120000). */
  externalAttributes: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;

export function isZip(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04
  );
}

/** Entries from the central directory; null when the archive has none we can find (truncated, damaged). */
export function listZipEntries(bytes: Uint8Array): ZipEntry[] | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end-of-central-directory record sits in the last 22 bytes plus an optional comment of <= 64 KiB.
  const stop = Math.max(0, bytes.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= stop; i--) {
    if (view.getUint32(i, true) === EOCD_SIGNATURE) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const count = view.getUint16(eocd + 10, true);
  let offset = view.getUint32(eocd + 16, true);
  const entries: ZipEntry[] = [];
  const names = new TextDecoder("utf-8");
  for (let i = 0; i < count; i++) {
    if (offset + 46 > bytes.length || view.getUint32(offset, true) !== CENTRAL_SIGNATURE) return null;
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    entries.push({
      name: names.decode(bytes.subarray(offset + 46, offset + 46 + nameLength)),
      method: view.getUint16(offset + 10, true),
      flags: view.getUint16(offset + 8, true),
      externalAttributes: view.getUint32(offset + 38, true),
      compressedSize: view.getUint32(offset + 20, true),
      localHeaderOffset: view.getUint32(offset + 42, true),
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Caps on what reading an archive may inflate; the defaults are the ingestion limits. */
export interface ZipCaps {
  /** Uncompressed bytes of all entries read, together. */
  maxTotalBytes: number;
  /** Uncompressed/compressed ratio of any entry that inflates past 1 MB. */
  maxRatio: number;
}

export const DEFAULT_ZIP_CAPS: ZipCaps = { maxTotalBytes: MAX_UNZIPPED_BYTES, maxRatio: MAX_ZIP_RATIO };

/** Entries small enough that any ratio is harmless (a 1 MB run of one character compresses 1000:1). */
const RATIO_FREE_BYTES = 1024 * 1024;

/** An archive inflates past a cap (a zip bomb, or just too big): which cap, in words a user can act on. */
export class ZipLimitError extends Error {
  // A plain field, not a parameter property: parse threads load this file with Node's type stripping.
  readonly limit: "total" | "ratio";

  constructor(limit: "total" | "ratio", message: string) {
    super(message);
    this.name = "ZipLimitError";
    this.limit = limit;
  }
}

/**
 * The uncompressed bytes of one entry (stored or deflated), or null if it cannot be read. Inflating
 * stops as soon as the output passes `maxBytes` (zlib checks while it streams, before allocating
 * more), which throws ZipLimitError; `describe` says which limit that was.
 */
export function readZipEntry(
  bytes: Uint8Array,
  entry: ZipEntry,
  limit: { maxBytes: number; describe?: (inflated: number) => ZipLimitError } = {
    maxBytes: DEFAULT_ZIP_CAPS.maxTotalBytes,
  },
): Uint8Array | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = entry.localHeaderOffset;
  if (at + 30 > bytes.length || view.getUint32(at, true) !== LOCAL_SIGNATURE) return null;
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  const data = bytes.subarray(start, start + entry.compressedSize);
  const over = () =>
    limit.describe?.(limit.maxBytes + 1) ??
    new ZipLimitError("total", `An archive entry inflates past ${limit.maxBytes} bytes`);
  if (entry.method === 0) {
    if (data.length > limit.maxBytes) throw over();
    return data;
  }
  if (entry.method !== 8) return null;
  try {
    return inflateRawSync(data, { maxOutputLength: Math.max(1, limit.maxBytes) });
  } catch (error) {
    if ((error as { code?: string }).code === "ERR_BUFFER_TOO_LARGE") throw over();
    return null;
  }
}

/**
 * Reads the entries `wanted` picks, in archive order, under caps on their total uncompressed size
 * and on each one's compression ratio, checked while inflating: a zip bomb costs at most the cap,
 * never its expanded size. Throws ZipLimitError naming the cap; unreadable entries come back null.
 * `keep: false` checks without keeping the bytes (peak memory: one entry).
 */
export function readZipCapped(
  bytes: Uint8Array,
  wanted: (entry: ZipEntry) => boolean,
  opts: { caps?: ZipCaps; keep?: boolean } = {},
): Map<string, Uint8Array | null> {
  const caps = opts.caps ?? DEFAULT_ZIP_CAPS;
  const out = new Map<string, Uint8Array | null>();
  let total = 0;
  for (const entry of listZipEntries(bytes) ?? []) {
    if (!wanted(entry)) continue;
    const remaining = caps.maxTotalBytes - total;
    const byRatio = Math.max(RATIO_FREE_BYTES, entry.compressedSize * caps.maxRatio);
    const maxBytes = Math.min(remaining, byRatio);
    const describe = () =>
      maxBytes === remaining
        ? new ZipLimitError(
            "total",
            `The archive inflates to more than ${mb(caps.maxTotalBytes)} (the limit on uncompressed content)`,
          )
        : new ZipLimitError(
            "ratio",
            `The archive entry ${entry.name} expands more than ${caps.maxRatio} times (the limit on compression ratio)`,
          );
    const data = readZipEntry(bytes, entry, { maxBytes, describe });
    total += data?.length ?? 0;
    out.set(entry.name, opts.keep === false ? null : data);
  }
  return out;
}

function mb(n: number): string {
  return `${Math.round(n / (1024 * 1024))} MB`;
}
