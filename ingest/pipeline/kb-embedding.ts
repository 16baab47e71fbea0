import { and, eq, isNull } from "drizzle-orm";
import { documentVersions, knowledgeBases } from "../../src/db/schema.js";
import { chunkIndexText } from "../../src/models/embedders/index-text.js";
import { lexicalSparse } from "../../src/models/embedders/lexical-sparse.js";
import type { EmbedResult } from "../../src/models/types.js";
import { embedderPluginId, pluginEmbedderSpace, vectorsOfKb } from "../../src/vector/collections.js";
import type { VectorIndex } from "../../src/vector/types.js";
import type { PipelineDeps } from "./deps.js";
import { PermanentIngestError } from "./failure.js";
import type { LoadedJob } from "./load.js";

type Kb = LoadedJob["kb"];

/** What embedding a knowledge base's chunks gave, and the index its points go to. */
export interface KbEmbedded {
  /** The embedder id billed (the deployment's) or `plugin:<id>`. */
  model: string;
  embedded: EmbedResult;
  vectors: VectorIndex;
}

/** The text embedded for a chunk: the deployment embedder's policy, or the title-first default for plugins. */
export function indexTextFor(deps: PipelineDeps, kb: Kb): (title: string, text: string) => string {
  return embedderPluginId(kb.embedder) === null ? (t, x) => deps.embedder.indexText(t, x) : chunkIndexText;
}

/**
 * Embeds texts of one knowledge base with its embedder (issue 19): the deployment's, or its embedder
 * plugin in the plugin's sandbox. A plugin gives dense vectors only; the sparse side is the offline
 * lexical encoder, so hybrid search works the same. The first vectors of a plugin knowledge base fix
 * its dimension (recorded on the row, which names the collection `chunks__plugin-<id>-d<dim>`); later
 * vectors of another dimension fail their document with plugin_bad_output.
 */
export async function embedForKb(
  deps: PipelineDeps,
  kb: Kb,
  texts: string[],
  signal: AbortSignal,
): Promise<KbEmbedded> {
  const pluginId = embedderPluginId(kb.embedder);
  if (pluginId === null) {
    const embedded = await deps.embedder.embedDocuments(texts, { signal });
    return { model: deps.embedder.id, embedded, vectors: deps.vectors };
  }
  signal.throwIfAborted();
  const dense =
    deps.plugins && deps.collections
      ? await deps.plugins.embed(kb.tenantId, pluginId, texts, kb.embedderDimension)
      : null;
  if (dense === null) {
    throw new PermanentIngestError({
      code: "embedder_not_enabled",
      message: `This knowledge base is embedded by the plugin ${pluginId}, which is not enabled for your organization (or not available to this worker). Enable it again, then upload the document again.`,
    });
  }
  const dimension = dense[0]?.length ?? kb.embedderDimension ?? 0;
  if (kb.embedderDimension === null) await recordDimension(deps, kb, pluginId, dimension);
  const vectors = await deps.collections!.open(pluginEmbedderSpace(pluginId, dimension), dimension);
  const sparse = texts.map((t) => lexicalSparse.document(t));
  return { model: kb.embedder!, embedded: { dense, sparse, tokens: 0, costMicros: 0 }, vectors };
}

/** The first dimension recorded wins; a concurrent document of another dimension fails. */
async function recordDimension(deps: PipelineDeps, kb: Kb, pluginId: string, dimension: number) {
  const { db } = deps.database;
  const set = await db
    .update(knowledgeBases)
    .set({ embedderDimension: dimension })
    .where(and(eq(knowledgeBases.id, kb.id), isNull(knowledgeBases.embedderDimension)))
    .returning({ id: knowledgeBases.id });
  if (set.length === 0) {
    const [row] = await db
      .select({ dimension: knowledgeBases.embedderDimension })
      .from(knowledgeBases)
      .where(eq(knowledgeBases.id, kb.id));
    if (row?.dimension != null && row.dimension !== dimension) {
      throw new PermanentIngestError({
        code: "plugin_bad_output",
        message: `Plugin ${pluginId}: embed answered ${dimension}-dimensional vectors, but this knowledge base's vectors have ${row.dimension}. A plugin that changed its dimension needs a new knowledge base.`,
      });
    }
  }
  kb.embedderDimension = dimension;
}

/**
 * Removes a document version's points from wherever its knowledge base keeps them. Without the
 * knowledge base at hand it is looked up by the version; a version already gone falls back to the
 * deployment's index (a plugin knowledge base's points were removed with its knowledge base).
 */
export async function deleteVersionPoints(
  deps: PipelineDeps,
  tenantId: string,
  versionId: string,
  kb?: Pick<Kb, "embedder" | "embedderDimension">,
): Promise<void> {
  let where = kb;
  if (!where) {
    const [row] = await deps.database.db
      .select({ embedder: knowledgeBases.embedder, embedderDimension: knowledgeBases.embedderDimension })
      .from(documentVersions)
      .innerJoin(knowledgeBases, eq(knowledgeBases.id, documentVersions.kbId))
      .where(and(eq(documentVersions.id, versionId), eq(documentVersions.tenantId, tenantId)));
    where = row ?? { embedder: null, embedderDimension: null };
  }
  const vectors = await vectorsOfKb(deps, where);
  await vectors?.delete(tenantId, { docVersion: versionId });
}
