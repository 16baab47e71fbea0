import type { ServiceCtx } from "../../context.js";
import { lexicalSparse } from "../../models/embedders/lexical-sparse.js";
import { embedderPluginId, pluginEmbedderSpace } from "../../vector/collections.js";
import type { Hit, QueryMode, Scope } from "../../vector/types.js";
import { ServiceError } from "../errors.js";
import { pluginEmbed } from "../plugins/embedders.js";
import { enabledPlugins } from "../plugins/org.js";
import type { KbRow } from "./visible-kbs.js";

/**
 * Searching knowledge bases with different embedders (issue 19). Vectors of two embedders cannot be
 * compared, so the knowledge bases of a search are grouped by embedder (the deployment's; each
 * plugin with the dimension its knowledge bases recorded), each group embeds the query its own way
 * and searches its own collection, and the groups' rankings are merged by reciprocal rank fusion.
 */

/** Standard RRF constant: ranks matter, the groups' incomparable scores do not. */
export const GROUP_RRF_K = 60;

export interface EmbedderGroup {
  /** null: the deployment's embedder. */
  pluginId: string | null;
  /** The plugin knowledge bases' recorded dimension (null: none indexed yet). */
  dimension: number | null;
  kbIds: string[];
}

export interface GroupHits {
  model: string;
  tokens: number;
  costMicros: number;
  hits: Hit[];
}

/** Whether the organization has any embedder plugin enabled (cached: asks pay no query for it). */
export async function hasEmbedderPlugins(ctx: ServiceCtx): Promise<boolean> {
  return (await enabledPlugins(ctx.deps, ctx.auth.tenantId, "embedder", { cached: true })).length > 0;
}

export function groupByEmbedder(kbs: KbRow[]): EmbedderGroup[] {
  const groups = new Map<string, EmbedderGroup>();
  for (const kb of kbs) {
    const pluginId = embedderPluginId(kb.embedder);
    const dimension = pluginId === null ? null : kb.embedderDimension;
    const key = `${pluginId ?? ""}:${dimension ?? ""}`;
    const g = groups.get(key) ?? { pluginId, dimension, kbIds: [] };
    g.kbIds.push(kb.id);
    groups.set(key, g);
  }
  return [...groups.values()];
}

/**
 * One plugin's knowledge bases: the query embedded by the plugin (in its sandbox), the lexical side
 * by the offline sparse encoder (as their chunks were), the plugin's collection searched with
 * Qdrant's default fusion (the tuned fusion belongs to the offline embedder's vectors).
 */
export async function searchPluginGroup(
  ctx: ServiceCtx,
  g: EmbedderGroup,
  input: { query: string; mode: QueryMode; topK: number; withText?: boolean },
  scope: Scope,
): Promise<GroupHits> {
  const pluginId = g.pluginId!;
  const model = `plugin:${pluginId}`;
  const dense = await pluginEmbed(ctx.deps, ctx.auth.tenantId, pluginId, [input.query], {
    expectedDimension: g.dimension,
    cached: true,
  });
  if (dense === null) {
    throw new ServiceError(
      "embedder_not_enabled",
      `Knowledge base ${g.kbIds.join(", ")} is embedded by the plugin ${pluginId}, which is not enabled for your organization. Enable it again (PUT /v1/plugins/${pluginId}) to search it.`,
      { data: { plugin: pluginId, knowledge_base_ids: g.kbIds } },
    );
  }
  // Nothing indexed yet: the knowledge bases have no collection to search.
  const collections = ctx.deps.vectorCollections;
  if (g.dimension === null || !collections) return { model, tokens: 0, costMicros: 0, hits: [] };
  const vectors = await collections.open(pluginEmbedderSpace(pluginId, g.dimension), g.dimension);
  const hits = await vectors.query(ctx.auth.tenantId, {
    scope,
    mode: input.mode,
    dense: dense[0]!,
    sparse: lexicalSparse.query(input.query),
    limit: input.topK,
    ...(input.withText === false ? { withText: false } : {}),
  });
  return { model, tokens: 0, costMicros: 0, hits };
}

/**
 * One ranking from several: a single group's hits are kept as they are (scores included); several
 * are fused by reciprocal rank (score = sum of 1 / (GROUP_RRF_K + rank)), which replaces the scores.
 */
export function fuseRanks(lists: Hit[][], limit: number): Hit[] {
  const nonEmpty = lists.filter((l) => l.length > 0);
  if (nonEmpty.length <= 1) return (nonEmpty[0] ?? []).slice(0, limit);
  const fused = new Map<string, Hit>();
  for (const list of nonEmpty) {
    for (const [rank, hit] of list.entries()) {
      const add = 1 / (GROUP_RRF_K + rank + 1);
      const seen = fused.get(hit.id);
      fused.set(hit.id, { ...hit, score: (seen?.score ?? 0) + add });
    }
  }
  return [...fused.values()].sort((a, b) => b.score - a.score || a.id.localeCompare(b.id)).slice(0, limit);
}
