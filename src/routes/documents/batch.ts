import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { tenantCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { getImportBatch } from "../../services/documents/import-batch.js";
import { errorResponses, jsonResponse, security } from "../common.js";

const Params = z.object({
  id: z.string().openapi({ param: { name: "id", in: "path" }, example: "kb_01hx..." }),
  batch_id: z.string().openapi({ param: { name: "batch_id", in: "path" }, example: "imp_01hx..." }),
});

const count = z.number().int();
const BatchSchema = z
  .object({
    id: z.string(),
    knowledge_base_id: z.string(),
    source: z.enum(["jsonl", "zip"]),
    state: z.enum(["reading", "read", "aborted"]).openapi({
      description: "`reading` while the request is still taking lines in; `aborted` when it stopped early.",
    }),
    created_at: z.string(),
    finished_reading_at: z.string().nullable(),
    items: count.openapi({ description: "Lines (or archive files) read." }),
    accepted: count.openapi({ description: "New documents or versions queued." }),
    deduplicated: count,
    rejected: count.openapi({ description: "Lines or files refused while reading (in `errors`)." }),
    documents: z
      .object({ queued: count, processing: count, ready: count, failed: count, superseded: count })
      .openapi({ description: "The import's new versions by status." }),
    done: z.boolean().openapi({ description: "Reading ended and nothing is queued or processing." }),
    errors: z
      .array(
        z.object({
          line: z.number().int().nullable(),
          entry: z.string().nullable(),
          code: z.string(),
          message: z.string(),
          document_id: z.string().nullable(),
        }),
      )
      .openapi({
        description: "Refused lines and documents that failed ingestion, by line (at most 1,000).",
      }),
    errors_truncated: z.boolean(),
  })
  .openapi("ImportBatch");

export type ImportBatchBody = z.infer<typeof BatchSchema>;

export const route = createRoute({
  method: "get",
  path: "/knowledge-bases/{id}/batches/{batch_id}",
  tags: ["Documents"],
  summary: "A bulk import's status: counts by status, errors by line, done (any scope)",
  security,
  request: { params: Params },
  responses: {
    200: jsonResponse(BatchSchema, "The import as it stands."),
    ...errorResponses(403, 404),
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const { id, batch_id } = c.req.valid("param");
    const b = await getImportBatch({ ctx: tenantCtx(c), input: { kbId: id, batchId: batch_id } });
    const body: ImportBatchBody = {
      id: b.id,
      knowledge_base_id: b.kbId,
      source: b.source as ImportBatchBody["source"],
      state: b.state as ImportBatchBody["state"],
      created_at: b.createdAt.toISOString(),
      finished_reading_at: b.finishedAt?.toISOString() ?? null,
      items: b.items,
      accepted: b.accepted,
      deduplicated: b.deduplicated,
      rejected: b.rejected,
      documents: b.documents,
      done: b.done,
      errors: b.errors.map((e) => ({
        line: e.line,
        entry: e.entry,
        code: e.code,
        message: e.message,
        document_id: e.documentId,
      })),
      errors_truncated: b.errorsTruncated,
    };
    return c.json(body, 200);
  });
}
