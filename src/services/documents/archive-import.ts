import type { ArchiveCaps } from "../../../ingest/parsers/archive.js";
import { MAX_ZIP_RATIO } from "../../../ingest/parsers/limits.js";
import { unpackIsolated } from "../../../ingest/parsers/parse-pool.js";
import type { ServiceCtx } from "../../context.js";
import { LimitExceededError, ValidationError } from "../errors.js";
import { BULK_MAX_LINES, type ImportItem } from "./bulk-import.js";

/** An import's archive and its uncompressed content are each at most this many times MAX_UPLOAD_MB. */
export const ARCHIVE_FACTOR = 8;

/** The caps a zip import is held to, from the configured upload limit. */
export function archiveCaps(maxUploadMb: number): ArchiveCaps {
  const upload = maxUploadMb * 1024 * 1024;
  return {
    maxTotalBytes: upload * ARCHIVE_FACTOR,
    maxEntryBytes: upload,
    maxRatio: MAX_ZIP_RATIO,
    maxEntries: BULK_MAX_LINES,
  };
}

/**
 * The files of a zip as import items, unpacked on a parse thread (untrusted bytes never inflate on
 * the thread serving requests). Entries are numbered in archive order; refused entries (unsafe
 * paths, links, encrypted, too large, over the ratio) are items with their error, and the archive as
 * a whole fails only when it is not a zip, holds too many files or inflates past the total cap.
 */
export async function* archiveItems(ctx: ServiceCtx, archive: Uint8Array): AsyncGenerator<ImportItem> {
  const { config } = ctx.deps;
  const result = await unpackIsolated(archive, archiveCaps(config.MAX_UPLOAD_MB), {
    limits: { maxPages: config.MAX_PAGES, timeoutMs: config.PARSE_TIMEOUT_MS, heapMb: config.PARSE_HEAP_MB },
  });
  if (!result.ok) {
    if (result.code === "payload_too_large")
      throw new LimitExceededError("payload_too_large", result.message);
    throw new ValidationError(result.message);
  }
  let line = 0;
  for (const item of result.items) {
    line += 1;
    if ("data" in item) yield { ok: true, line, entry: item.name, bytes: item.data };
    else yield { ok: false, error: { line, entry: item.name, code: item.code, message: item.message } };
  }
}
