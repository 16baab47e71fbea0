import { z } from "@hono/zod-openapi";
import type { StoreFile } from "../../services/vector-stores/files.js";
import { unixSeconds } from "../files/schema.js";

export const StoreIdParam = z.object({ vector_store_id: z.string().min(1).max(64) });
export const StoreFileParam = StoreIdParam.extend({ file_id: z.string().min(1).max(64) });
export const BatchParam = StoreIdParam.extend({ batch_id: z.string().min(1).max(64) });

export const Attributes = z
  .record(z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/), z.union([z.string().max(512), z.number(), z.boolean()]))
  .refine((a) => Object.keys(a).length <= 16, "at most 16 attributes")
  .openapi({ description: "Up to 16 attributes (string, number, boolean): filters for search." });

export const ChunkingStrategy = z
  .union([
    z.strictObject({ type: z.literal("auto") }),
    z.strictObject({
      type: z.literal("static"),
      static: z.strictObject({
        max_chunk_size_tokens: z.number().int().min(64).max(2048),
        chunk_overlap_tokens: z.number().int().min(0),
      }),
    }),
  ])
  .openapi("ChunkingStrategy");

export const FileCounts = z.object({
  in_progress: z.number().int(),
  completed: z.number().int(),
  failed: z.number().int(),
  cancelled: z.number().int(),
  total: z.number().int(),
});

export const VectorStore = z
  .object({
    id: z.string().openapi({ description: "The knowledge base id: the same store at both doors." }),
    object: z.literal("vector_store"),
    created_at: z.number().int(),
    name: z.string(),
    usage_bytes: z.number().int(),
    file_counts: FileCounts,
    status: z.enum(["in_progress", "completed"]),
    expires_after: z.null(),
    expires_at: z.null(),
    last_active_at: z.number().int(),
    metadata: z.record(z.string(), z.string()),
  })
  .openapi("VectorStore");

export const VectorStoreFile = z
  .object({
    id: z.string(),
    object: z.literal("vector_store.file"),
    created_at: z.number().int(),
    vector_store_id: z.string(),
    status: z.enum(["in_progress", "completed", "failed", "cancelled"]),
    last_error: z.object({ code: z.string(), message: z.string() }).nullable(),
    usage_bytes: z.number().int(),
    attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    chunking_strategy: ChunkingStrategy,
  })
  .openapi("VectorStoreFile");

export function toStoreFileObject(f: StoreFile): z.infer<typeof VectorStoreFile> {
  return {
    id: f.fileId,
    object: "vector_store.file",
    created_at: unixSeconds(f.createdAt),
    vector_store_id: f.kbId,
    status: f.status,
    last_error: f.error,
    usage_bytes: f.bytes,
    attributes: f.attributes,
    chunking_strategy: {
      type: "static",
      static: { max_chunk_size_tokens: f.chunkSize, chunk_overlap_tokens: f.chunkOverlap },
    },
  };
}

export const listOf = <T extends z.ZodType>(item: T) =>
  z.object({
    object: z.literal("list"),
    data: z.array(item),
    first_id: z.string().nullable(),
    last_id: z.string().nullable(),
    has_more: z.boolean(),
  });

export function page<T extends { id: string }>(data: T[], hasMore: boolean) {
  return {
    object: "list" as const,
    data,
    first_id: data[0]?.id ?? null,
    last_id: data.at(-1)?.id ?? null,
    has_more: hasMore,
  };
}
