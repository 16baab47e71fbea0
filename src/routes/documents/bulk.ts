import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { serviceCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { ApiError } from "../../errors.js";
import { archiveItems } from "../../services/documents/archive-import.js";
import {
  BULK_MAX_LINES,
  importDocuments,
  type ParsedLine,
  parseBulkLine,
} from "../../services/documents/bulk-import.js";
import type { MetaValue } from "../../vector/types.js";
import { errorResponses, jsonResponse, security } from "../common.js";
import { KbIdParam } from "../knowledge-bases/schema.js";
import { findBadJsonText } from "../text-guard.js";
import { MetadataSchema } from "./schema.js";

/** A whole import may be this many times MAX_UPLOAD_MB (each line's text is held to MAX_UPLOAD_MB). */
const BULK_BODY_FACTOR = 8;

const BulkLineResult = z.object({
  line: z
    .number()
    .int()
    .openapi({ description: "1-based line number in the uploaded file (zip: the entry's position)." }),
  entry: z.string().optional().openapi({ description: "The archive entry's path (zip imports)." }),
  id: z.string().openapi({ example: "doc_01hx..." }),
  version_id: z.string(),
  status: z.enum(["queued", "processing", "ready", "failed", "superseded"]),
  deduplicated: z.boolean(),
  external_id: z.string().nullable(),
});

const BulkLineError = z.object({
  line: z.number().int(),
  entry: z.string().optional(),
  code: z.enum([
    "invalid_json",
    "validation_failed",
    "unsupported_media_type",
    "payload_too_large",
    "unsafe_path",
    "failed",
  ]),
  message: z.string(),
});

export const BulkImportResponse = z
  .object({
    batch_id: z.string().openapi({ example: "imp_01hx...", description: "The import's status resource id." }),
    status_url: z.string().openapi({ example: "/v1/knowledge-bases/kb_01hx.../batches/imp_01hx..." }),
    lines: z.number().int().openapi({ description: "Lines read, blank lines excluded." }),
    accepted: z.number().int().openapi({ description: "New documents or versions, queued for ingestion." }),
    deduplicated: z.number().int().openapi({ description: "Lines whose content was already there." }),
    failed: z.number().int(),
    documents: z.array(BulkLineResult),
    errors: z.array(BulkLineError).openapi({ description: "One entry per line that was not imported." }),
  })
  .openapi("BulkImport");

export type BulkImportBody = z.infer<typeof BulkImportResponse>;

export const route = createRoute({
  method: "post",
  path: "/knowledge-bases/{id}/documents/bulk",
  tags: ["Documents"],
  summary: "Import many documents from JSONL or a zip of files (scope ingest)",
  description:
    'JSONL: one JSON object per line, `{"text": "...", "title": "...", "external_id": "...", "metadata": {...}}` ' +
    `(only \`text\` is required). Zip (\`application/zip\`): each file is a document, typed by its content and extension, ` +
    "its path its external_id; entries with unsafe paths (absolute, `..`, backslashes, control characters), links or " +
    `encryption are refused one by one (\`unsafe_path\`, \`unsupported_media_type\`), an entry over MAX_UPLOAD_MB or ` +
    `expanding more than 100 times is refused (\`payload_too_large\`), and an archive that inflates past ` +
    `${BULK_BODY_FACTOR} × MAX_UPLOAD_MB in total is refused as a whole (413). At most ${BULK_MAX_LINES} lines or files and ` +
    `${BULK_BODY_FACTOR} × MAX_UPLOAD_MB per request. ` +
    "Each item goes through the same steps as a single upload; a bad one is reported with its line number (and entry) " +
    "and the others are imported. Re-sending is safe: items already imported come back `deduplicated`. " +
    "Follow the whole import at `status_url` (GET /v1/knowledge-bases/{id}/batches/{batch_id}).",
  security,
  request: {
    params: KbIdParam,
    body: {
      required: true,
      content: {
        "application/x-ndjson": { schema: z.any().openapi({ type: "string", format: "binary" }) },
        "application/jsonl": { schema: z.any().openapi({ type: "string", format: "binary" }) },
        "application/zip": { schema: z.any().openapi({ type: "string", format: "binary" }) },
      },
    },
  },
  responses: {
    200: jsonResponse(BulkImportResponse, "Every line either queued, deduplicated or in `errors`."),
    ...errorResponses(400, 403, 404, 413, 503),
  },
});

function checkMetadata(
  m: unknown,
): { ok: true; value: Record<string, MetaValue> } | { ok: false; message: string } {
  const bad = findBadJsonText(m, "metadata");
  if (bad) return { ok: false, message: `${bad.field}: ${bad.reason}` };
  const meta = MetadataSchema.safeParse(m);
  if (!meta.success) {
    return {
      ok: false,
      message: meta.error.issues.map((i) => `metadata.${i.path.join(".")} ${i.message}`.trim()).join("; "),
    };
  }
  return { ok: true, value: m as Record<string, MetaValue> };
}

function badText(value: unknown, field: string): string | null {
  const bad = findBadJsonText(value, field);
  return bad ? `${bad.field}: ${bad.reason}` : null;
}

/** Lines of the body as they stream in, counted against the limit; blank lines are skipped. */
async function* readLines(
  req: Request,
  limitBytes: number,
  maxTextBytes: number,
): AsyncGenerator<ParsedLine> {
  const declared = Number(req.headers.get("content-length") ?? Number.NaN);
  if (declared > limitBytes) throw tooLarge(limitBytes);
  if (!req.body) return;
  const decoder = new TextDecoder("utf-8");
  let seen = 0;
  let pending = "";
  let lineNo = 0;
  const emit = (raw: string): ParsedLine | null => {
    lineNo += 1;
    const text = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (text.trim() === "") return null;
    return parseBulkLine(text, lineNo, { maxTextBytes, checkMetadata, badText });
  };
  const reader = req.body.getReader();
  for (;;) {
    const { done, value: chunk } = await reader.read();
    if (done) break;
    seen += chunk.byteLength;
    if (seen > limitBytes) throw tooLarge(limitBytes);
    pending += decoder.decode(chunk, { stream: true });
    let nl = pending.indexOf("\n");
    while (nl >= 0) {
      const parsed = emit(pending.slice(0, nl));
      pending = pending.slice(nl + 1);
      if (parsed) yield parsed;
      nl = pending.indexOf("\n");
    }
  }
  pending += decoder.decode();
  const last = emit(pending);
  if (last) yield last;
}

const ZIP_TYPES = new Set(["application/zip", "application/x-zip-compressed"]);

/** The whole body, read as it streams in and refused as soon as it passes the limit. */
async function readCapped(req: Request, limitBytes: number): Promise<Uint8Array> {
  const declared = Number(req.headers.get("content-length") ?? Number.NaN);
  if (declared > limitBytes) throw tooLarge(limitBytes);
  if (!req.body) return new Uint8Array();
  const parts: Uint8Array[] = [];
  let seen = 0;
  const reader = req.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    seen += value.byteLength;
    if (seen > limitBytes) {
      await reader.cancel();
      throw tooLarge(limitBytes);
    }
    parts.push(value);
  }
  return Buffer.concat(parts);
}

function tooLarge(limitBytes: number): ApiError {
  return new ApiError(
    "payload_too_large",
    `A bulk import is at most ${Math.round(limitBytes / 1024 / 1024)} MB; split the file (re-sending lines already imported is safe).`,
  );
}

export function register(app: OpenAPIHono<AppEnv>) {
  // Documented through the registry but handled directly: the body is read line by line as it arrives.
  app.openAPIRegistry.registerPath(route);
  app.post("/knowledge-bases/:id/documents/bulk", async (c) => {
    const ctx = serviceCtx(c, "ingest");
    const kbId = c.req.param("id");
    const maxText = ctx.deps.config.MAX_UPLOAD_MB * 1024 * 1024;
    const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    const zip = ZIP_TYPES.has(type);
    const result = await importDocuments({
      ctx,
      input: {
        kbId,
        source: zip ? "zip" : "jsonl",
        lines: zip
          ? archiveItems(ctx, await readCapped(c.req.raw, maxText * BULK_BODY_FACTOR))
          : readLines(c.req.raw, maxText * BULK_BODY_FACTOR, maxText),
      },
    });
    const body: BulkImportBody = {
      batch_id: result.batchId,
      status_url: `/v1/knowledge-bases/${kbId}/batches/${result.batchId}`,
      lines: result.lines,
      accepted: result.accepted,
      deduplicated: result.deduplicated,
      failed: result.failed,
      documents: result.documents.map((d) => ({
        line: d.line,
        ...(d.entry !== undefined ? { entry: d.entry } : {}),
        id: d.documentId,
        version_id: d.versionId,
        status: d.status as BulkImportBody["documents"][number]["status"],
        deduplicated: d.deduplicated,
        external_id: d.externalId,
      })),
      errors: result.errors,
    };
    return c.json(body, 200);
  });
}
