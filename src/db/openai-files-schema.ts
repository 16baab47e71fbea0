import { bigint, index, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { created, ts } from "./columns.js";
import { knowledgeBases } from "./tenancy-schema.js";

/** OpenAI-compatible files and vector store file batches (issue 15). */
/**
 * Files uploaded through OpenAI's `POST /v1/files`: the original bytes, not yet in any knowledge base.
 * Attaching one to a vector store (a knowledge base) uploads its bytes there as a document whose
 * external_id is the file id, so the two doors share one document model.
 */
export const openaiFiles = pgTable(
  "openai_files",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    filename: text("filename").notNull(),
    purpose: text("purpose").notNull(),
    bytes: bigint("bytes", { mode: "number" }).notNull(),
    blobKey: text("blob_key").notNull(),
    createdAt: created(),
  },
  (t) => [index("openai_files_tenant_idx").on(t.tenantId, t.id)],
);

/** A batch of files attached to a vector store together; its status is derived from its documents. */
export const vectorStoreFileBatches = pgTable(
  "vector_store_file_batches",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    kbId: text("kb_id")
      .notNull()
      .references(() => knowledgeBases.id, { onDelete: "cascade" }),
    fileIds: jsonb("file_ids").$type<string[]>().notNull(),
    cancelledAt: ts("cancelled_at"),
    createdAt: created(),
  },
  (t) => [index("vs_file_batches_kb_idx").on(t.tenantId, t.kbId, t.id)],
);
