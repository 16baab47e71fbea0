import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { serviceCtx, tenantCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { type BatchView, cancelBatch, createBatch, getBatch } from "../../services/vector-stores/batches.js";
import { errorResponses, jsonBody, jsonResponse, security } from "../common.js";
import { OpenAIPageQuery, unixSeconds } from "../files/schema.js";
import { staticChunking } from "./files.js";
import {
  Attributes,
  BatchParam,
  ChunkingStrategy,
  FileCounts,
  listOf,
  page,
  StoreIdParam,
  toStoreFileObject,
  VectorStoreFile,
} from "./schema.js";

const tags = ["OpenAI-compatible"];

const Batch = z
  .object({
    id: z.string(),
    object: z.literal("vector_store.files_batch"),
    created_at: z.number().int(),
    vector_store_id: z.string(),
    status: z.enum(["in_progress", "completed", "cancelled", "failed"]),
    file_counts: FileCounts,
  })
  .openapi("VectorStoreFileBatch");

const CreateBody = z
  .strictObject({
    file_ids: z.array(z.string().min(1).max(64)).min(1).max(500).optional(),
    files: z
      .array(
        z.strictObject({
          file_id: z.string().min(1).max(64),
          attributes: Attributes.nullable().optional(),
          chunking_strategy: ChunkingStrategy.optional(),
        }),
      )
      .min(1)
      .max(500)
      .optional(),
    attributes: Attributes.nullable().optional(),
    chunking_strategy: ChunkingStrategy.optional(),
  })
  .refine((b) => (b.file_ids ? 1 : 0) + (b.files ? 1 : 0) === 1, "send file_ids or files (one of them)")
  .openapi("CreateVectorStoreFileBatch");

function toBatch(v: BatchView): z.infer<typeof Batch> {
  return {
    id: v.batch.id,
    object: "vector_store.files_batch",
    created_at: unixSeconds(v.batch.createdAt),
    vector_store_id: v.batch.kbId,
    status: v.status,
    file_counts: v.counts,
  };
}

const create = createRoute({
  method: "post",
  path: "/vector_stores/{vector_store_id}/file_batches",
  tags,
  summary: "Attach several files at once (scope ingest)",
  security,
  request: { params: StoreIdParam, body: jsonBody(CreateBody) },
  responses: { 200: jsonResponse(Batch, "The batch."), ...errorResponses(403, 404, 415, 503) },
});

const get = createRoute({
  method: "get",
  path: "/vector_stores/{vector_store_id}/file_batches/{batch_id}",
  tags,
  summary: "A file batch, with counts from its documents' ingestion",
  security,
  request: { params: BatchParam },
  responses: { 200: jsonResponse(Batch, "The batch."), ...errorResponses(403, 404) },
});

const cancel = createRoute({
  method: "post",
  path: "/vector_stores/{vector_store_id}/file_batches/{batch_id}/cancel",
  tags,
  summary: "Cancel a batch: files still being indexed are removed (scope ingest)",
  security,
  request: { params: BatchParam },
  responses: { 200: jsonResponse(Batch, "The batch."), ...errorResponses(403, 404) },
});

const files = createRoute({
  method: "get",
  path: "/vector_stores/{vector_store_id}/file_batches/{batch_id}/files",
  tags,
  summary: "The files of a batch",
  security,
  request: {
    params: BatchParam,
    query: OpenAIPageQuery.extend({
      filter: z.enum(["in_progress", "completed", "failed", "cancelled"]).optional(),
    }),
  },
  responses: { 200: jsonResponse(listOf(VectorStoreFile), "A page of files."), ...errorResponses(403, 404) },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(create, async (c) => {
    const b = c.req.valid("json");
    const shared = b.attributes ?? undefined;
    const entries = b.files
      ? b.files.map((f) => ({ fileId: f.file_id, attributes: f.attributes ?? shared }))
      : (b.file_ids ?? []).map((fileId) => ({ fileId, attributes: shared }));
    const chunking = staticChunking(b.chunking_strategy);
    const v = await createBatch({
      ctx: serviceCtx(c, "ingest"),
      input: {
        kbId: c.req.valid("param").vector_store_id,
        files: entries.map((e) => ({
          fileId: e.fileId,
          ...(e.attributes ? { attributes: e.attributes } : {}),
        })),
        ...(chunking ? { chunking } : {}),
      },
    });
    return c.json(toBatch(v), 200);
  });
  app.openapi(get, async (c) => {
    const p = c.req.valid("param");
    return c.json(
      toBatch(await getBatch({ ctx: tenantCtx(c), input: { kbId: p.vector_store_id, batchId: p.batch_id } })),
      200,
    );
  });
  app.openapi(cancel, async (c) => {
    const p = c.req.valid("param");
    const v = await cancelBatch({
      ctx: serviceCtx(c, "ingest"),
      input: { kbId: p.vector_store_id, batchId: p.batch_id },
    });
    return c.json(toBatch(v), 200);
  });
  app.openapi(files, async (c) => {
    const p = c.req.valid("param");
    const q = c.req.valid("query");
    const v = await getBatch({ ctx: tenantCtx(c), input: { kbId: p.vector_store_id, batchId: p.batch_id } });
    let all = v.files.filter((f) => !q.filter || f.status === q.filter);
    if (q.after) all = all.slice(all.findIndex((f) => f.fileId === q.after) + 1);
    const slice = all.slice(0, q.limit);
    return c.json(page(slice.map(toStoreFileObject), all.length > q.limit), 200);
  });
}
