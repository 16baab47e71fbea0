import { and, eq, inArray } from "drizzle-orm";
import type { SearchStage, ServiceCtx } from "../../context.js";
import { documents, documentVersions } from "../../db/schema.js";
import type { Hit, MetaFilter, QueryMode } from "../../vector/types.js";
import { NotFoundError, ServiceError } from "../errors.js";
import { recordUsage } from "../ledger/record.js";
import {
  fuseRanks,
  type GroupHits,
  groupByEmbedder,
  hasEmbedderPlugins,
  searchPluginGroup,
} from "./embedder-groups.js";
import { type KbRow, loadVisibleKbsForSearch } from "./visible-kbs.js";

export interface SearchInput {
  query: string;
  kbIds: string[];
  filter?: MetaFilter;
  /** Only these documents / document versions; each must be in one of kbIds (else 404). */
  documentIds?: string[];
  documentVersionIds?: string[];
  topK: number;
  mode: QueryMode;
  /** false: chunks come without their text (references only). Default true. */
  withText?: boolean;
}

export interface SearchChunk {
  /** The vector point id: stable for a chunk of one document version. */
  id: string;
  score: number;
  /** Absent only when the search asked for no text (SearchInput.withText false). */
  text?: string;
  kbId: string;
  documentId: string;
  documentVersionId: string;
  title: string;
  chunk: number;
  pageStart: number | null;
  pageEnd: number | null;
  headingPath: string[];
  charStart: number;
  charEnd: number;
  metadata: Record<string, string | number | boolean>;
}

/** A chunk of a search that asked for text (the default), so `text` is present. */
export type SearchChunkWithText = SearchChunk & { text: string };

export interface SearchResult<C extends SearchChunk = SearchChunk> {
  chunks: C[];
  kbs: KbRow[];
  embedding: { model: string; tokens: number; costMicros: number };
}

function toChunk(hit: Hit): SearchChunk {
  const p = hit.payload;
  return {
    id: hit.id,
    score: hit.score,
    ...(p.text !== undefined ? { text: p.text } : {}),
    kbId: p.kb_id,
    documentId: p.doc_id,
    documentVersionId: p.doc_version,
    title: p.title,
    chunk: p.chunk,
    pageStart: p.page_start,
    pageEnd: p.page_end,
    headingPath: p.heading_path,
    charStart: p.char_start,
    charEnd: p.char_end,
    metadata: p.meta ?? {},
  };
}

/**
 * Retrieves the best chunks from the caller's knowledge bases. The tenant comes from the key (the
 * adapter adds it to every query) and every knowledge base is checked first, so results can only come
 * from what the key may read. A billed query embedding is written to the ledger; the offline embedder
 * costs nothing and writes no row.
 */
export function searchChunks(args: {
  ctx: ServiceCtx;
  input: SearchInput & { withText?: true };
  signal?: AbortSignal;
}): Promise<SearchResult<SearchChunkWithText>>;
export function searchChunks(args: {
  ctx: ServiceCtx;
  input: SearchInput;
  signal?: AbortSignal;
}): Promise<SearchResult>;
export async function searchChunks({
  ctx,
  input,
  signal,
}: {
  ctx: ServiceCtx;
  input: SearchInput;
  signal?: AbortSignal;
}): Promise<SearchResult> {
  const { vectors, embedder } = ctx.deps;
  const started = performance.now();
  const stage = (name: SearchStage, from: number) =>
    ctx.deps.metrics?.observeSearchStage?.(name, (performance.now() - from) / 1000);
  if (!vectors || !embedder) {
    throw new ServiceError(
      "unavailable",
      "Search is not available: no vector store is configured on this server.",
    );
  }
  // Without embedder plugins (almost every organization) every knowledge base uses the deployment's
  // embedder, so the query is embedded while the lookups run, as before plugins existed.
  const pluginsMayApply = await hasEmbedderPlugins(ctx);
  // Independent lookups run together; any invisible knowledge base still fails the whole search.
  const [{ kbs, hiddenVersionIds: excluded }, early] = await Promise.all([
    loadVisibleKbsForSearch(ctx, input.kbIds),
    pluginsMayApply ? null : embedder.embedQuery(input.query, signal ? { signal } : {}),
  ]);
  stage("knowledge_bases", started);
  const kbIds = kbs.map((k) => k.id);
  await checkDocumentsIn(ctx, kbIds, input);
  const scopeOf = (ids: string[]) => ({
    kbIds: ids,
    ...(input.filter ? { meta: input.filter } : {}),
    ...(input.documentIds?.length ? { docIds: [...new Set(input.documentIds)] } : {}),
    ...(input.documentVersionIds?.length ? { docVersions: [...new Set(input.documentVersionIds)] } : {}),
    ...(excluded.length ? { excludeDocVersions: excluded } : {}),
  });
  const groups = groupByEmbedder(kbs);
  const searched = await Promise.all(
    groups.map(async (g): Promise<GroupHits> => {
      if (g.pluginId !== null) return searchPluginGroup(ctx, g, input, scopeOf(g.kbIds));
      const embedding = early ?? (await embedder.embedQuery(input.query, signal ? { signal } : {}));
      if (embedding.tokens > 0 || embedding.costMicros > 0) {
        await recordUsage(ctx.deps.database.db, {
          tenantId: ctx.auth.tenantId,
          keyId: ctx.auth.keyId,
          requestId: ctx.requestId,
          kind: "embedding",
          kbIds: g.kbIds,
          model: embedder.id,
          embeddingTokens: embedding.tokens,
          costMicros: embedding.costMicros,
          usageSource: "provider",
          status: "ok",
        });
      }
      const queried = performance.now();
      const hits = await vectors.query(ctx.auth.tenantId, {
        scope: scopeOf(g.kbIds),
        mode: input.mode,
        dense: embedding.dense,
        sparse: embedding.sparse,
        limit: input.topK,
        ...(input.withText === false ? { withText: false } : {}),
        // Fusion tuned for this embedder's vectors (test/eval/tune); equal-weight RRF hurts the offline one.
        ...(embedder.fusion ? { fusion: embedder.fusion } : {}),
      });
      stage("vector_query", queried);
      return { model: embedder.id, tokens: embedding.tokens, costMicros: embedding.costMicros, hits };
    }),
  );
  stage("search", started);
  return {
    chunks: fuseRanks(
      searched.map((g) => g.hits),
      input.topK,
    ).map(toChunk),
    kbs,
    embedding: {
      model: searched.map((g) => g.model).join(",") || embedder.id,
      tokens: searched.reduce((n, g) => n + g.tokens, 0),
      costMicros: searched.reduce((n, g) => n + g.costMicros, 0),
    },
  };
}

/**
 * Documents and versions named in a search must exist in its knowledge bases: a mistyped id is a 404
 * naming it, not a search that silently finds nothing.
 */
async function checkDocumentsIn(
  ctx: ServiceCtx,
  kbIds: string[],
  input: Pick<SearchInput, "documentIds" | "documentVersionIds">,
): Promise<void> {
  const { db } = ctx.deps.database;
  const tenant = ctx.auth.tenantId;
  if (input.documentIds?.length) {
    const ids = [...new Set(input.documentIds)];
    const rows = await db
      .select({ id: documents.id })
      .from(documents)
      .where(and(eq(documents.tenantId, tenant), inArray(documents.kbId, kbIds), inArray(documents.id, ids)));
    const missing = ids.find((id) => !rows.some((r) => r.id === id));
    if (missing) throw new NotFoundError("Document", `${missing} (in the knowledge bases searched)`);
  }
  if (input.documentVersionIds?.length) {
    const ids = [...new Set(input.documentVersionIds)];
    const rows = await db
      .select({ id: documentVersions.id })
      .from(documentVersions)
      .where(
        and(
          eq(documentVersions.tenantId, tenant),
          inArray(documentVersions.kbId, kbIds),
          inArray(documentVersions.id, ids),
        ),
      );
    const missing = ids.find((id) => !rows.some((r) => r.id === id));
    if (missing) throw new NotFoundError("Document version", `${missing} (in the knowledge bases searched)`);
  }
}
