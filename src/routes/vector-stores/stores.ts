import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { serviceCtx, tenantCtx } from "../../auth/middleware.js";
import type { AppEnv, ServiceCtx } from "../../context.js";
import type { knowledgeBases } from "../../db/schema.js";
import { createKnowledgeBase } from "../../services/knowledge-bases/create.js";
import { deleteKnowledgeBase } from "../../services/knowledge-bases/delete.js";
import { getKnowledgeBase } from "../../services/knowledge-bases/get.js";
import { listKnowledgeBases } from "../../services/knowledge-bases/list.js";
import { updateKnowledgeBase } from "../../services/knowledge-bases/update.js";
import { fileCounts } from "../../services/vector-stores/files.js";
import { errorResponses, jsonBody, jsonResponse, security } from "../common.js";
import { OpenAIPageQuery, unixSeconds } from "../files/schema.js";
import { ChunkingStrategy, listOf, page, StoreIdParam, VectorStore } from "./schema.js";

const tags = ["OpenAI-compatible"];
type KbRow = typeof knowledgeBases.$inferSelect;

const CreateBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    file_ids: z.array(z.string().min(1).max(64)).max(500).optional(),
    chunking_strategy: ChunkingStrategy.optional(),
    description: z.string().max(2000).optional(),
  })
  .openapi("CreateVectorStore");

const UpdateBody = z
  .strictObject({ name: z.string().trim().min(1).max(200).optional() })
  .openapi("UpdateVectorStore");

async function toStores(ctx: ServiceCtx, kbs: KbRow[]): Promise<z.infer<typeof VectorStore>[]> {
  const counts = await fileCounts(
    ctx,
    kbs.map((k) => k.id),
  );
  return kbs.map((kb) => {
    const c = counts.get(kb.id) ?? { in_progress: 0, completed: 0, failed: 0, bytes: 0 };
    return {
      id: kb.id,
      object: "vector_store",
      created_at: unixSeconds(kb.createdAt),
      name: kb.name,
      usage_bytes: c.bytes,
      file_counts: {
        in_progress: c.in_progress,
        completed: c.completed,
        failed: c.failed,
        cancelled: 0,
        total: c.in_progress + c.completed + c.failed,
      },
      status: c.in_progress > 0 ? "in_progress" : "completed",
      expires_after: null,
      expires_at: null,
      last_active_at: unixSeconds(kb.updatedAt),
      metadata: {},
    };
  });
}

const create = createRoute({
  method: "post",
  path: "/vector_stores",
  tags,
  summary: "Create a vector store: a knowledge base (scope admin)",
  description:
    "A static `chunking_strategy` sets the knowledge base's chunking; `file_ids` are attached at once (see the files of a vector store).",
  security,
  request: { body: jsonBody(CreateBody) },
  responses: { 200: jsonResponse(VectorStore, "The store."), ...errorResponses(403, 404) },
});

const list = createRoute({
  method: "get",
  path: "/vector_stores",
  tags,
  summary: "List vector stores (knowledge bases), oldest first",
  security,
  request: { query: OpenAIPageQuery },
  responses: { 200: jsonResponse(listOf(VectorStore), "A page of stores."), ...errorResponses(403) },
});

const get = createRoute({
  method: "get",
  path: "/vector_stores/{vector_store_id}",
  tags,
  summary: "A vector store with its file counts",
  security,
  request: { params: StoreIdParam },
  responses: { 200: jsonResponse(VectorStore, "The store."), ...errorResponses(403, 404) },
});

const update = createRoute({
  method: "post",
  path: "/vector_stores/{vector_store_id}",
  tags,
  summary: "Rename a vector store (scope admin)",
  security,
  request: { params: StoreIdParam, body: jsonBody(UpdateBody) },
  responses: { 200: jsonResponse(VectorStore, "The store."), ...errorResponses(403, 404) },
});

const remove = createRoute({
  method: "delete",
  path: "/vector_stores/{vector_store_id}",
  tags,
  summary: "Delete a vector store: the knowledge base with its documents and vectors (scope admin)",
  security,
  request: { params: StoreIdParam },
  responses: {
    200: jsonResponse(
      z.object({ id: z.string(), object: z.literal("vector_store.deleted"), deleted: z.literal(true) }),
      "Deleted.",
    ),
    ...errorResponses(403, 404),
  },
});

export function register(
  app: OpenAPIHono<AppEnv>,
  attach: (ctx: ServiceCtx, kbId: string, fileIds: string[]) => Promise<void>,
) {
  app.openapi(create, async (c) => {
    const b = c.req.valid("json");
    const ctx = serviceCtx(c, "admin");
    const chunking = b.chunking_strategy?.type === "static" ? b.chunking_strategy.static : undefined;
    const kb = await createKnowledgeBase({
      ctx,
      input: {
        name: b.name ?? "Vector store",
        ...(b.description ? { description: b.description } : {}),
        ...(chunking
          ? { chunkSize: chunking.max_chunk_size_tokens, chunkOverlap: chunking.chunk_overlap_tokens }
          : {}),
      },
    });
    if (b.file_ids?.length) await attach(serviceCtx(c, "ingest"), kb.id, b.file_ids);
    const [store] = await toStores(ctx, [kb]);
    return c.json(store!, 200);
  });
  app.openapi(list, async (c) => {
    const q = c.req.valid("query");
    const ctx = tenantCtx(c);
    const r = await listKnowledgeBases({
      ctx,
      input: { limit: q.limit, ...(q.after ? { cursor: q.after } : {}) },
    });
    return c.json(page(await toStores(ctx, r.items), r.nextCursor !== null), 200);
  });
  app.openapi(get, async (c) => {
    const ctx = tenantCtx(c);
    const kb = await getKnowledgeBase({ ctx, input: { id: c.req.valid("param").vector_store_id } });
    const [store] = await toStores(ctx, [kb]);
    return c.json(store!, 200);
  });
  app.openapi(update, async (c) => {
    const ctx = serviceCtx(c, "admin");
    const b = c.req.valid("json");
    const kb = await updateKnowledgeBase({
      ctx,
      input: { id: c.req.valid("param").vector_store_id, patch: { ...(b.name ? { name: b.name } : {}) } },
    });
    const [store] = await toStores(ctx, [kb]);
    return c.json(store!, 200);
  });
  app.openapi(remove, async (c) => {
    const r = await deleteKnowledgeBase({
      ctx: serviceCtx(c, "admin"),
      input: { id: c.req.valid("param").vector_store_id },
    });
    return c.json({ id: r.id, object: "vector_store.deleted" as const, deleted: true as const }, 200);
  });
}
