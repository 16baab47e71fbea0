import type { ServiceCtx } from "../../context.js";
import type { MetaValue } from "../../vector/types.js";
import { meterRequest } from "../billing/quota.js";
import { searchChunks } from "../search/search.js";
import { fileRefs } from "./file-refs.js";
import { type AttributeFilter, toMetaFilter } from "./filters.js";

export interface StoreSearchHit {
  fileId: string;
  filename: string;
  score: number;
  attributes: Record<string, MetaValue | null>;
  text: string;
}

/** Question words and fillers a keyword query does without (rewrite_query), English and Chinese. */
const FILLER =
  /\b(what|which|who|whom|whose|when|where|why|how|is|are|was|were|do|does|did|can|could|would|should|the|a|an|of|please|tell|me|about|explain)\b|[?？!！。,，]|请问|什么|怎么|如何|吗|呢/giu;

export function rewriteQuery(query: string): string {
  const rewritten = query.replace(FILLER, " ").replace(/\s+/g, " ").trim();
  return rewritten || query;
}

/**
 * Hybrid retrieval over one vector store (knowledge base). Each result names its file (the document's
 * file id, or the document id for documents uploaded at the native door) and carries its pages in
 * `attributes` next to the file's own attributes.
 */
export async function searchVectorStore({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: {
    kbId: string;
    queries: string[];
    filters?: AttributeFilter;
    maxResults: number;
    scoreThreshold?: number;
    rewrite: boolean;
  };
}): Promise<{ searchQuery: string[]; hits: StoreSearchHit[] }> {
  await meterRequest(ctx);
  const searchQuery = input.rewrite ? input.queries.map(rewriteQuery) : input.queries;
  const found = await searchChunks({
    ctx,
    input: {
      query: searchQuery.join("\n"),
      kbIds: [input.kbId],
      topK: input.maxResults,
      mode: "hybrid",
      ...(input.filters ? { filter: toMetaFilter(input.filters) } : {}),
    },
  });
  const chunks = found.chunks.filter(
    (c) => input.scoreThreshold === undefined || c.score >= input.scoreThreshold,
  );
  const refs = await fileRefs(
    ctx,
    chunks.map((c) => c.documentId),
  );
  return {
    searchQuery,
    hits: chunks.map((c) => {
      const ref = refs.get(c.documentId);
      return {
        fileId: ref?.fileId ?? c.documentId,
        filename: ref?.filename ?? c.title,
        score: c.score,
        attributes: { ...c.metadata, page_start: c.pageStart, page_end: c.pageEnd },
        text: c.text,
      };
    }),
  };
}
