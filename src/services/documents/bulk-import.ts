import { z } from "zod";
import type { ServiceCtx } from "../../context.js";
import type { MetaValue } from "../../vector/types.js";
import { isServiceError, ServiceError } from "../errors.js";
import { loadVisibleKb } from "../knowledge-bases/get.js";
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

export interface BulkLineError {
  /** 1-based line number in the uploaded file. */
  line: number;
  code: "invalid_json" | "validation_failed" | "unsupported_media_type" | "payload_too_large" | "failed";
  message: string;
}

export interface BulkLineResult {
  line: number;
  documentId: string;
  versionId: string;
  status: string;
  deduplicated: boolean;
  externalId: string | null;
}

export interface BulkImportResult {
  lines: number;
  accepted: number;
  deduplicated: number;
  failed: number;
  documents: BulkLineResult[];
  errors: BulkLineError[];
}

/** A line already checked: the bytes and fields uploadDocument takes, or why it cannot be taken. */
export type ParsedLine =
  | { ok: true; line: number; value: BulkLine; metadata?: Record<string, MetaValue> }
  | { ok: false; error: BulkLineError };

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
 * Imports parsed lines in batches through uploadDocumentsBatch, which stores new documents with
 * multi-row writes and hands every line touching an existing document to the single-upload verb, so
 * deduplication, versions by external_id, audit and queueing behave as they do one file at a time. Re-sending the same
 * file is safe: every line whose external_id (or, without one, whose text) is already there comes
 * back `deduplicated`, which is what makes an interrupted import resumable.
 */
export async function importDocuments({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { kbId: string; lines: AsyncIterable<ParsedLine> };
}): Promise<BulkImportResult> {
  // Checked once up front: an unknown knowledge base is one 404, not one error per line.
  await loadVisibleKb(ctx.deps.database.db, ctx, input.kbId);
  const result: BulkImportResult = {
    lines: 0,
    accepted: 0,
    deduplicated: 0,
    failed: 0,
    documents: [],
    errors: [],
  };
  const seenExternal = new Map<string, number>();
  let batch: Extract<ParsedLine, { ok: true }>[] = [];
  const flush = async () => {
    const taken = batch;
    batch = [];
    if (taken.length > 0) await importBatch(ctx, input.kbId, taken, result);
  };
  for await (const item of input.lines) {
    result.lines += 1;
    if (result.lines > BULK_MAX_LINES) {
      throw new ServiceError(
        "payload_too_large",
        `A bulk import holds at most ${BULK_MAX_LINES} lines; split the file (re-sending lines already imported is safe).`,
      );
    }
    if (!item.ok) {
      result.errors.push(item.error);
      continue;
    }
    const ext = item.value.external_id;
    if (ext !== undefined) {
      const first = seenExternal.get(ext);
      if (first !== undefined) {
        result.errors.push({
          line: item.line,
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
  result.documents.sort((a, b) => a.line - b.line);
  result.errors.sort((a, b) => a.line - b.line);
  result.deduplicated = result.documents.filter((d) => d.deduplicated).length;
  result.accepted = result.documents.length - result.deduplicated;
  result.failed = result.errors.length;
  return result;
}

async function importBatch(
  ctx: ServiceCtx,
  kbId: string,
  items: Extract<ParsedLine, { ok: true }>[],
  result: BulkImportResult,
): Promise<void> {
  const outcomes = await uploadDocumentsBatch({
    ctx,
    kbId,
    inputs: items.map(({ value, line, metadata }) => ({
      kbId,
      bytes: new TextEncoder().encode(value.text),
      filename: value.title ?? value.external_id ?? `line-${line}`,
      // Plain text whatever the title says: a title like "notes.pdf" must not change the parser.
      contentType: "text/plain",
      metadata,
      externalId: value.external_id,
    })),
  });
  outcomes.forEach((outcome, i) => {
    const { line, value } = items[i]!;
    if ("error" in outcome) {
      const err = outcome.error;
      // A queue outage stops the import (the caller retries the whole file, which is safe); anything
      // else about one line is that line's error.
      if (isServiceError(err) && err.code === "unavailable") throw err;
      const code = isServiceError(err) && err.code === "unsupported_media_type" ? err.code : "failed";
      const message = isServiceError(err) ? err.message : "could not be stored";
      if (!isServiceError(err)) ctx.deps.logger.error({ err, line }, "bulk import line failed");
      result.errors.push({ line, code, message });
      return;
    }
    result.documents.push({
      line,
      documentId: outcome.documentId,
      versionId: outcome.versionId,
      status: outcome.status,
      deduplicated: outcome.deduplicated,
      externalId: value.external_id ?? null,
    });
  });
}
