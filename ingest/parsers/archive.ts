import { listZipEntries, readZipEntry, ZipLimitError } from "./zip.js";

/**
 * Unpacking a zip of documents for a bulk import (issue 18), on a parse thread: every entry becomes
 * one document or one error, and the archive as a whole is held to caps checked while inflating, so
 * a zip bomb costs at most the cap. Plain code only: parse threads load this with type stripping.
 */
export interface ArchiveCaps {
  /** Uncompressed bytes of all entries together; past it the whole archive is refused. */
  maxTotalBytes: number;
  /** Uncompressed bytes of one entry (a single upload's limit). */
  maxEntryBytes: number;
  /** Uncompressed/compressed ratio of an entry that inflates past 1 MB. */
  maxRatio: number;
  /** Files in the archive (directories not counted). */
  maxEntries: number;
}

export type ArchiveItem =
  | { name: string; data: Uint8Array }
  | { name: string; code: "unsafe_path" | "payload_too_large" | "unsupported_media_type"; message: string };

export type ArchiveResult =
  | { ok: true; items: ArchiveItem[] }
  | { ok: false; code: "payload_too_large" | "validation_failed"; message: string };

const RATIO_FREE_BYTES = 1024 * 1024;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/** Why an entry's path may not name a document, or null when it is a plain relative path. */
export function unsafePath(name: string): string | null {
  if (name.length === 0 || name.length > 1024) return "its path is empty or longer than 1024 characters";
  if (/[\u0000-\u001f\u007f]/.test(name)) return "its path contains control characters";
  if (name.includes("\\")) return "its path contains a backslash";
  if (name.startsWith("/") || /^[A-Za-z]:/.test(name)) return "its path is absolute";
  if (name.split("/").some((p) => p === ".." || p === ".")) return "its path contains '.' or '..'";
  return null;
}

/** Entries that are not documents: directories and what macOS adds to archives it makes. */
function ignored(name: string): boolean {
  return name.endsWith("/") || name.startsWith("__MACOSX/") || /(^|\/)\.DS_Store$/.test(name);
}

export function unpackArchive(bytes: Uint8Array, caps: ArchiveCaps): ArchiveResult {
  const entries = listZipEntries(bytes);
  if (!entries) {
    return {
      ok: false,
      code: "validation_failed",
      message:
        "The body is not a readable zip archive (no central directory found); send a complete .zip file.",
    };
  }
  const files = entries.filter((e) => !ignored(e.name));
  if (files.length > caps.maxEntries) {
    return {
      ok: false,
      code: "payload_too_large",
      message: `The archive holds ${files.length} files; at most ${caps.maxEntries} are accepted per import. Split it.`,
    };
  }
  const items: ArchiveItem[] = [];
  let total = 0;
  for (const entry of files) {
    const { name } = entry;
    const bad = unsafePath(name);
    if (bad) {
      items.push({ name, code: "unsafe_path", message: `Entry refused: ${bad}.` });
      continue;
    }
    if (((entry.externalAttributes >>> 16) & S_IFMT) === S_IFLNK) {
      items.push({ name, code: "unsafe_path", message: "Entry refused: it is a symbolic link." });
      continue;
    }
    if (entry.flags & 1) {
      items.push({
        name,
        code: "unsupported_media_type",
        message: "The entry is encrypted; add it to the archive without a password.",
      });
      continue;
    }
    const remaining = caps.maxTotalBytes - total;
    const byRatio = Math.max(RATIO_FREE_BYTES, entry.compressedSize * caps.maxRatio);
    const maxBytes = Math.min(remaining, byRatio, caps.maxEntryBytes);
    const limit =
      maxBytes === remaining ? "total" : maxBytes === caps.maxEntryBytes ? "entry" : ("ratio" as const);
    let data: Uint8Array | null;
    try {
      data = readZipEntry(bytes, entry, { maxBytes, describe: () => new ZipLimitError("total", limit) });
    } catch (error) {
      if (!(error instanceof ZipLimitError)) throw error;
      if (limit === "total") {
        return {
          ok: false,
          code: "payload_too_large",
          message: `The archive inflates to more than ${mb(caps.maxTotalBytes)} (the limit on an import's uncompressed content); split it.`,
        };
      }
      items.push({
        name,
        code: "payload_too_large",
        message:
          limit === "entry"
            ? `The entry inflates past ${mb(caps.maxEntryBytes)} (the upload size limit).`
            : `The entry expands more than ${caps.maxRatio} times (the limit on compression ratio).`,
      });
      continue;
    }
    if (!data) {
      items.push({
        name,
        code: "unsupported_media_type",
        message: "The entry cannot be read (damaged, or compressed with a method other than deflate).",
      });
      continue;
    }
    total += data.length;
    items.push({ name, data });
  }
  return { ok: true, items };
}

function mb(n: number): string {
  return `${Math.round(n / (1024 * 1024))} MB`;
}
