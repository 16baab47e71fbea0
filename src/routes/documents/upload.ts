import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { serviceCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { ApiError } from "../../errors.js";
import { uploadDocument } from "../../services/documents/upload.js";
import { errorResponses, jsonResponse, security } from "../common.js";
import { KbIdParam } from "../knowledge-bases/schema.js";
import { SDK_SAMPLES } from "../sdk-samples.js";
import { findBadJsonText } from "../text-guard.js";
import { readUpload } from "./read-upload.js";
import { ExternalIdSchema, MetadataSchema, UploadAccepted } from "./schema.js";

const MultipartUpload = z.object({
  file: z.any().openapi({
    type: "string",
    format: "binary",
    description: "The document (PDF, DOCX, HTML, Markdown, text).",
  }),
  metadata: z
    .string()
    .optional()
    .openapi({ description: 'JSON object of attributes, e.g. {"product":"x200"}.' }),
  external_id: z
    .string()
    .optional()
    .openapi({ description: "Your id: uploading new content under it replaces the document." }),
});

export const route = createRoute({
  method: "post",
  path: "/knowledge-bases/{id}/documents",
  tags: ["Documents"],
  summary: "Upload a document for ingestion (scope ingest)",
  description:
    "Multipart field `file` (plus optional `metadata`, `external_id`), or the raw bytes with `?filename=` " +
    "(or Content-Disposition) and optional `?metadata=` / `?external_id=`. The type is detected from the content. " +
    "Returns 202 with a status URL; identical content already in the knowledge base returns 200 with `deduplicated: true`.",
  security,
  "x-codeSamples": SDK_SAMPLES.uploadDocument,
  request: {
    params: KbIdParam,
    body: {
      required: true,
      content: {
        "multipart/form-data": { schema: MultipartUpload },
        "application/octet-stream": { schema: z.any().openapi({ type: "string", format: "binary" }) },
      },
    },
  },
  responses: {
    202: jsonResponse(UploadAccepted, "Stored and queued; poll status_url or stream its /events."),
    200: jsonResponse(UploadAccepted, "Identical content was already uploaded; that document is returned."),
    ...errorResponses(403, 404, 413, 415, 503),
  },
});

export type UploadDocumentResult = z.infer<typeof UploadAccepted>;

function parseFields(fields: Record<string, string>) {
  let metadata: unknown;
  if (fields.metadata !== undefined) {
    try {
      metadata = JSON.parse(fields.metadata);
    } catch {
      throw invalid("metadata", 'must be a JSON object, e.g. {"product":"x200"}');
    }
    const bad = findBadJsonText(metadata, "metadata");
    if (bad) throw invalid(bad.field, bad.reason);
  }
  const meta = metadata === undefined ? undefined : MetadataSchema.safeParse(metadata);
  if (meta && !meta.success)
    throw invalid(
      "metadata",
      meta.error.issues.map((i) => `${i.path.join(".")} ${i.message}`.trim()).join("; "),
    );
  const ext = fields.external_id === undefined ? undefined : ExternalIdSchema.safeParse(fields.external_id);
  if (ext && !ext.success) throw invalid("external_id", "must be 1-256 characters");
  // Zod rebuilds records by assignment, which turns a `__proto__` key into a prototype and drops it;
  // the values are plain JSON scalars, so the parsed object itself is kept and every key stays data.
  return { metadata: meta ? (metadata as typeof meta.data) : undefined, externalId: ext?.data };
}

function invalid(field: string, message: string) {
  return new ApiError("validation_failed", `Request form is invalid: ${field}: ${message}`, {
    errors: [{ field, message }],
  });
}

export function register(app: OpenAPIHono<AppEnv>) {
  // Documented through the registry but handled directly: validating the body would buffer it
  // whole before the size limit could be enforced.
  app.openAPIRegistry.registerPath(route);
  app.post("/knowledge-bases/:id/documents", async (c) => {
    const ctx = serviceCtx(c, "ingest");
    const kbId = c.req.param("id");
    const upload = await readUpload(c.req.raw, ctx.deps.config.MAX_UPLOAD_MB);
    const { metadata, externalId } = parseFields(upload.fields);
    const result = await uploadDocument({
      ctx,
      input: {
        kbId,
        bytes: upload.bytes,
        filename: upload.filename,
        contentType: upload.contentType,
        metadata,
        externalId,
      },
    });
    const statusUrl = `${ctx.deps.config.PUBLIC_URL ?? ""}/v1/documents/${result.documentId}`;
    const body: UploadDocumentResult = {
      id: result.documentId,
      version_id: result.versionId,
      status: result.status as UploadDocumentResult["status"],
      status_url: statusUrl,
      deduplicated: result.deduplicated,
    };
    c.header("location", statusUrl);
    return c.json(body, result.deduplicated ? 200 : 202);
  });
}
