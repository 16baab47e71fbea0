import { z } from "zod";
import type { ServiceCtx } from "../../context.js";
import type { MetaValue } from "../../vector/types.js";
import { isServiceError, LimitExceededError, ServiceError } from "../errors.js";
import { loadVisibleKb } from "../knowledge-bases/get.js";
import type { BulkImportResult, BulkLineError } from "./bulk-result.js";
import { closeImportBatch, openImportBatch } from "./import-batch.js";
import { uploadDocumentsBatch } from "./upload-batch.js";

/** Lines one import may hold; past it the request is refused, not truncated. */
export const BULK_MAX_LINES = 20_000;
/** Longest title, in characters (it becomes the document's filename and first title). */
const MAX_TITLE_CHARS = 255;
/** Lines stored per transaction: one multi-row INSERT per table each. */
const UPLOAD_BATCH = 200;

/** One JSONL line: the document's text plus what a single upload's fields would carry. */
export const BulkLineSchema = z
  .object({
    text: z.string().min(1, "must be a non-empty string"),
    title: z.string().trim().min(1).max(MAX_TITLE_CHARS).optional(),
    external_id: z.string().trim().min(1).max(256).optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();
export type BulkLine = z.infer<typeof BulkLineSchema>;

export type { BulkImportResult, BulkLineError, BulkLineResult } from "./bulk-result.js";

/** A line already checked: the bytes and fields uploadDocument takes, or why it cannot be taken. */
export type ParsedLine =
  | { ok: true; line: number; value: BulkLine; metadata?: Record<string, MetaValue> }
  | { ok: false; error: BulkLineError };

/** A file taken from an archive: its bytes become one document, typed by content and extension. */
export interface ArchiveEntry {
  ok: true;
  line: number;
  entry: string;
  bytes: Uint8Array;
}

export type ImportItem = ParsedLine | ArchiveEntry;

/**
 * Parses one JSONL line. `checkMetadata` is the single-upload route's metadata rule (names, values,
 * limits), so a bulk line is held to exactly what an upload's `metadata` field is.
 */
export function parseBulkLine(
  raw: string,
  line: number,
  opts: {
    maxTextBytes: number;
    /** The API's text rule (no NUL, no lone surrogates...) for title and external_id; null when clean. */
    badText: (value: unknown, field: string) => string | null;
    checkMetadata: (
      m: unknown,
    ) => { ok: true; value: Record<string, MetaValue> } | { ok: false; message: string };
  },
): ParsedLine {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, error: { line, code: "invalid_json", message: "not a JSON object" } };
  }
  const parsed = BulkLineSchema.safeParse(json);
  if (!parsed.success) {
    const message = parsed.error.issues.map((i) => `${i.path.join(".") || "line"}: ${i.message}`).join("; ");
    return { ok: false, error: { line, code: "validation_failed", message } };
  }
  for (const field of ["title", "external_id"] as const) {
    const bad = opts.badText(parsed.data[field], field);
    if (bad) return { ok: false, error: { line, code: "validation_failed", message: bad } };
  }
  if (Buffer.byteLength(parsed.data.text) > opts.maxTextBytes) {
    return {
      ok: false,
      error: { line, code: "payload_too_large", message: `text is larger than ${opts.maxTextBytes} bytes` },
    };
  }
  let metadata: Record<string, MetaValue> | undefined;
  if (parsed.data.metadata !== undefined) {
    // The raw object, not zod's copy: a `__proto__` key must stay data (see the upload route).
    const checked = opts.checkMetadata((json as { metadata: unknown }).metadata);
    if (!checked.ok)
      return { ok: false, error: { line, code: "validation_failed", message: checked.message } };
    metadata = checked.value;
  }
  return { ok: true, line, value: parsed.data, metadata };
}

/**
 * Imports parsed lines (or archive entries) in batches through uploadDocumentsBatch, which stores new
 * documents with multi-row writes and hands every item touching an existing document to the
 * single-upload verb, so deduplication, versions by external_id, audit and queueing behave as they do
 * one file at a time. Re-sending the same file is safe: every line whose external_id (or, without one,
 * whose text) is already there comes back `deduplicated`, which is what makes an interrupted import
 * resumable; an archive entry's path is its external_id. The import is recorded as one batch whose
 * status resource reports what reading found and how its documents progress.
 */
export async function importDocuments({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { kbId: string; source: "jsonl" | "zip"; lines: AsyncIterable<ImportItem> };
}): Promise<BulkImportResult> {
  // Checked once up front: an unknown knowledge base is one 404, not one error per line.
  await loadVisibleKb(ctx.deps.database.db, ctx, input.kbId);
  const batchId = await openImportBatch(ctx, input.kbId, input.source);
  const result: BulkImportResult = {
    batchId,
    lines: 0,
    accepted: 0,
    deduplicated: 0,
    failed: 0,
    documents: [],
    errors: [],
  };
  const seenExternal = new Map<string, number>();
  let batch: Exclude<ImportItem, { ok: false }>[] = [];
  const flush = async () => {
    const taken = batch;
    batch = [];
    if (taken.length > 0) await importBatch(ctx, input.kbId, batchId, taken, result);
  };
  try {
    for await (const item of input.lines) {
      result.lines += 1;
      if (result.lines > BULK_MAX_LINES) {
        throw new LimitExceededError(
          "payload_too_large",
          `A bulk import holds at most ${BULK_MAX_LINES} lines or files; split it (re-sending what was already imported is safe).`,
        );
      }
      if (!item.ok) {
        result.errors.push(item.error);
        continue;
      }
      const ext = "entry" in item ? item.entry : item.value.external_id;
      if (ext !== undefined) {
        const first = seenExternal.get(ext);
        if (first !== undefined) {
          result.errors.push({
            line: item.line,
            ...("entry" in item ? { entry: item.entry } : {}),
            code: "validation_failed",
            message: `external_id ${JSON.stringify(ext)} already used on line ${first} of this file`,
          });
          continue;
        }
        seenExternal.set(ext, item.line);
      }
      batch.push(item);
      if (batch.length >= UPLOAD_BATCH) await flush();
    }
    await flush();
  } catch (err) {
    await closeImportBatch(ctx, result, "aborted").catch(() => {});
    throw err;
  }
  result.documents.sort((a, b) => a.line - b.line);
  result.errors.sort((a, b) => a.line - b.line);
  result.deduplicated = result.documents.filter((d) => d.deduplicated).length;
  result.accepted = result.documents.length - result.deduplicated;
  result.failed = result.errors.length;
  await closeImportBatch(ctx, result, "read");
  return result;
}

async function importBatch(
  ctx: ServiceCtx,
  kbId: string,
  batchId: string,
  items: Exclude<ImportItem, { ok: false }>[],
  result: BulkImportResult,
): Promise<void> {
  const outcomes = await uploadDocumentsBatch({
    ctx,
    kbId,
    inputs: items.map((item) => {
      if ("entry" in item) {
        // An archive entry: typed from its bytes and its name, named after its file.
        return {
          kbId,
          bytes: item.bytes,
          filename: basename(item.entry),
          externalId: item.entry,
        };
      }
      const { value, line, metadata } = item;
      return {
        kbId,
        bytes: new TextEncoder().encode(value.text),
        filename: value.title ?? value.external_id ?? `line-${line}`,
        // Plain text whatever the title says: a title like "notes.pdf" must not change the parser.
        contentType: "text/plain",
        metadata,
        externalId: value.external_id,
      };
    }),
    batch: {
      id: batchId,
      items: items.map((item) => ({ line: item.line, entry: "entry" in item ? item.entry : null })),
    },
  });
  outcomes.forEach((outcome, i) => {
    const item = items[i]!;
    const { line } = item;
    const entry = "entry" in item ? { entry: item.entry } : {};
    if ("error" in outcome) {
      const err = outcome.error;
      const code = errorCode(err);
      // A queue outage stops the import (the caller retries the whole file, which is safe); anything
      // else about one line is that line's error.
      if (code === "unavailable") throw err;
      const known = code === "unsupported_media_type" || code === "payload_too_large";
      const message = code ? (err as Error).message : "could not be stored";
      if (!code) ctx.deps.logger.error({ err, line }, "bulk import line failed");
      result.errors.push({ line, ...entry, code: known ? code : "failed", message });
      return;
    }
    result.documents.push({
      line,
      ...entry,
      documentId: outcome.documentId,
      versionId: outcome.versionId,
      status: outcome.status,
      deduplicated: outcome.deduplicated,
      externalId: "entry" in item ? item.entry : (item.value.external_id ?? null),
    });
  });
}

/** The stable code of an API or service error, or null for anything else. */
function errorCode(err: unknown): string | null {
  if (isServiceError(err)) return err.code;
  return null;
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}
