import { z } from "@hono/zod-openapi";
import type { SearchChunk } from "../../services/search/search.js";
import { metaFilterSchema } from "../../vector/filter.js";

export const TOP_K = { min: 1, max: 100, default: 8 } as const;

export const KbIdsField = z
  .array(z.string().min(1).max(64))
  .min(1)
  .max(20)
  .openapi({
    description: "Knowledge bases to search (1-20); each must be visible to the key.",
    example: ["kb_01jc8w7k3m9x2p4q5r6s7t8v9w"],
  });

export const FilterField = metaFilterSchema.optional().openapi({
  description:
    "Metadata conditions on documents, Qdrant-style: must / should / must_not of match or range conditions.",
  example: { must: [{ key: "product", match: { value: "router-x" } }] },
});

export const DocumentIdsField = z
  .array(z.string().min(1).max(64))
  .min(1)
  .max(100)
  .optional()
  .openapi({
    description:
      "Only these documents (1-100), each in one of `knowledge_base_ids`; the version searched is the one that is ready.",
    example: ["doc_01jc8w7k3m9x2p4q5r6s7t8v9w"],
  });

export const DocumentVersionIdsField = z.array(z.string().min(1).max(64)).min(1).max(100).optional().openapi({
  description:
    "Only these document versions (1-100; `version_id` / `active_version_id` of a Document). Versions not ready are never searched.",
});

export const TopKField = z
  .number()
  .int()
  .min(TOP_K.min)
  .max(TOP_K.max)
  .default(TOP_K.default)
  .openapi({ description: `Chunks to retrieve (${TOP_K.min}-${TOP_K.max}, default ${TOP_K.default}).` });

export const SearchBody = z
  .strictObject({
    query: z.string().trim().min(1).max(4000).openapi({ example: "How do I reset the router?" }),
    knowledge_base_ids: KbIdsField,
    document_ids: DocumentIdsField,
    document_version_ids: DocumentVersionIdsField,
    filter: FilterField,
    top_k: TopKField,
    mode: z.enum(["hybrid", "dense", "sparse"]).default("hybrid").openapi({
      description: "hybrid (default) fuses dense and keyword (sparse) retrieval; dense or sparse use one.",
    }),
    with_text: z.boolean().default(true).openapi({
      description:
        "false: return chunk references without their text (ids, document, pages, offsets, score), for evaluation or related-document lookups; with 400-token chunks a response is about 5x smaller.",
    }),
  })
  .openapi("SearchRequest");

export const ChunkSchema = z
  .object({
    id: z.string(),
    score: z.number(),
    text: z.string().optional().openapi({ description: "The chunk text; omitted when with_text is false." }),
    knowledge_base_id: z.string(),
    document_id: z.string(),
    document_version_id: z.string(),
    title: z.string(),
    chunk: z.number().int().openapi({ description: "Position of the chunk in its document (0-based)." }),
    page_start: z.number().int().nullable(),
    page_end: z.number().int().nullable(),
    heading_path: z.array(z.string()),
    char_start: z
      .number()
      .int()
      .openapi({ description: "Offset of the chunk in the document's extracted text." }),
    char_end: z.number().int(),
    metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  })
  .openapi("SearchChunk");

export const SearchResponse = z.object({ data: z.array(ChunkSchema) }).openapi("SearchResult");

export function toChunk(c: SearchChunk): z.infer<typeof ChunkSchema> {
  return {
    id: c.id,
    score: c.score,
    ...(c.text !== undefined ? { text: c.text } : {}),
    knowledge_base_id: c.kbId,
    document_id: c.documentId,
    document_version_id: c.documentVersionId,
    title: c.title,
    chunk: c.chunk,
    page_start: c.pageStart,
    page_end: c.pageEnd,
    heading_path: c.headingPath,
    char_start: c.charStart,
    char_end: c.charEnd,
    metadata: c.metadata,
  };
}
