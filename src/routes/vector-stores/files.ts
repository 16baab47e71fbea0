import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { serviceCtx, tenantCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import {
  attachFile,
  detachFile,
  getStoreFile,
  listStoreFiles,
  updateStoreFileAttributes,
} from "../../services/vector-stores/files.js";
import { errorResponses, jsonBody, jsonResponse, security } from "../common.js";
import { OpenAIPageQuery } from "../files/schema.js";
import {
  Attributes,
  ChunkingStrategy,
  listOf,
  page,
  StoreFileParam,
  StoreIdParam,
  toStoreFileObject,
  VectorStoreFile,
} from "./schema.js";

const tags = ["OpenAI-compatible"];

export const staticChunking = (s: z.infer<typeof ChunkingStrategy> | undefined) =>
  s?.type === "static"
    ? {
        maxChunkSizeTokens: s.static.max_chunk_size_tokens,
        chunkOverlapTokens: s.static.chunk_overlap_tokens,
      }
    : undefined;

const AttachBody = z
  .strictObject({
    file_id: z.string().min(1).max(64),
    attributes: Attributes.nullable().optional(),
    chunking_strategy: ChunkingStrategy.optional(),
  })
  .openapi("CreateVectorStoreFile");

const attach = createRoute({
  method: "post",
  path: "/vector_stores/{vector_store_id}/files",
  tags,
  summary: "Attach a file: it becomes a document of the knowledge base and is ingested (scope ingest)",
  description:
    "Statuses map from ingestion: queued/processing → in_progress, ready → completed, failed → failed (with last_error). A static chunking_strategy must match the store's chunking.",
  security,
  request: { params: StoreIdParam, body: jsonBody(AttachBody) },
  responses: {
    200: jsonResponse(VectorStoreFile, "The attached file."),
    ...errorResponses(403, 404, 415, 503),
  },
});

const list = createRoute({
  method: "get",
  path: "/vector_stores/{vector_store_id}/files",
  tags,
  summary: "Files of a vector store (its documents), oldest first",
  security,
  request: {
    params: StoreIdParam,
    query: OpenAIPageQuery.extend({
      filter: z.enum(["in_progress", "completed", "failed", "cancelled"]).optional(),
    }),
  },
  responses: { 200: jsonResponse(listOf(VectorStoreFile), "A page of files."), ...errorResponses(403, 404) },
});

const get = createRoute({
  method: "get",
  path: "/vector_stores/{vector_store_id}/files/{file_id}",
  tags,
  summary: "A file of a vector store, with its ingestion status",
  security,
  request: { params: StoreFileParam },
  responses: { 200: jsonResponse(VectorStoreFile, "The file."), ...errorResponses(403, 404) },
});

const update = createRoute({
  method: "post",
  path: "/vector_stores/{vector_store_id}/files/{file_id}",
  tags,
  summary: "Replace a file's attributes (re-indexes it; scope ingest)",
  security,
  request: { params: StoreFileParam, body: jsonBody(z.strictObject({ attributes: Attributes })) },
  responses: { 200: jsonResponse(VectorStoreFile, "The file."), ...errorResponses(403, 404, 409) },
});

const remove = createRoute({
  method: "delete",
  path: "/vector_stores/{vector_store_id}/files/{file_id}",
  tags,
  summary:
    "Remove a file from a vector store: its document and vectors (the file itself stays; scope ingest)",
  security,
  request: { params: StoreFileParam },
  responses: {
    200: jsonResponse(
      z.object({ id: z.string(), object: z.literal("vector_store.file.deleted"), deleted: z.literal(true) }),
      "Removed.",
    ),
    ...errorResponses(403, 404),
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(attach, async (c) => {
    const b = c.req.valid("json");
    const chunking = staticChunking(b.chunking_strategy);
    const f = await attachFile({
      ctx: serviceCtx(c, "ingest"),
      input: {
        kbId: c.req.valid("param").vector_store_id,
        fileId: b.file_id,
        ...(b.attributes ? { attributes: b.attributes } : {}),
        ...(chunking ? { chunking } : {}),
      },
    });
    return c.json(toStoreFileObject(f), 200);
  });
  app.openapi(list, async (c) => {
    const q = c.req.valid("query");
    const r = await listStoreFiles({
      ctx: tenantCtx(c),
      input: {
        kbId: c.req.valid("param").vector_store_id,
        limit: q.limit,
        ...(q.after ? { after: q.after } : {}),
        ...(q.filter ? { status: q.filter } : {}),
      },
    });
    return c.json(page(r.items.map(toStoreFileObject), r.hasMore), 200);
  });
  app.openapi(get, async (c) => {
    const p = c.req.valid("param");
    const f = await getStoreFile({
      ctx: tenantCtx(c),
      input: { kbId: p.vector_store_id, fileId: p.file_id },
    });
    return c.json(toStoreFileObject(f), 200);
  });
  app.openapi(update, async (c) => {
    const p = c.req.valid("param");
    const f = await updateStoreFileAttributes({
      ctx: serviceCtx(c, "ingest"),
      input: { kbId: p.vector_store_id, fileId: p.file_id, attributes: c.req.valid("json").attributes },
    });
    return c.json(toStoreFileObject(f), 200);
  });
  app.openapi(remove, async (c) => {
    const p = c.req.valid("param");
    const f = await detachFile({
      ctx: serviceCtx(c, "ingest"),
      input: { kbId: p.vector_store_id, fileId: p.file_id },
    });
    return c.json(
      { id: f.fileId, object: "vector_store.file.deleted" as const, deleted: true as const },
      200,
    );
  });
}
