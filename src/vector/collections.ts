import type { QdrantClient } from "@qdrant/js-client-rest";
import { collectionNameFor, QdrantIndex } from "./qdrant-index.js";
import type { VectorIndex } from "./types.js";

/** A knowledge base's embedder setting: `plugin:<id>` names an embedder plugin (issue 19). */
export const PLUGIN_EMBEDDER_PREFIX = "plugin:";

/**
 * Vector collections opened on demand, one per embedder and dimension: knowledge bases embedded by a
 * plugin keep their points apart from the deployment's collection (and from each other's plugins),
 * since vectors from different models are not comparable.
 */
export interface VectorCollections {
  /** The collection named for this embedder id, created with its payload indexes on first use. */
  open(embedderId: string, dimension: number): Promise<VectorIndex>;
}

/** Collections on the same Qdrant (or embedded engine) as the deployment's; `wrap` adds the backup gate. */
export function qdrantCollections(opts: {
  client: QdrantClient;
  wrap?: (index: VectorIndex) => VectorIndex;
}): VectorCollections {
  const opened = new Map<string, Promise<VectorIndex>>();
  return {
    open(embedderId, dimension) {
      const collection = collectionNameFor(embedderId);
      const known = opened.get(collection);
      if (known) return known;
      const ready = (async () => {
        const raw = new QdrantIndex({ client: opts.client, collection, dimension });
        const index = opts.wrap ? opts.wrap(raw) : raw;
        await index.ensureReady();
        return index;
      })();
      opened.set(collection, ready);
      // A failed creation (the store was down) is tried again by the next caller.
      ready.catch(() => opened.delete(collection));
      return ready;
    },
  };
}

/** The embedder id a plugin's vectors of one dimension are stored under (`chunks__plugin-<id>-d<dim>`). */
export function pluginEmbedderSpace(pluginId: string, dimension: number): string {
  return `plugin-${pluginId}-d${dimension}`;
}

/** The plugin id of a knowledge base's embedder setting, or null for the deployment's embedder. */
export function embedderPluginId(embedder: string | null | undefined): string | null {
  return embedder?.startsWith(PLUGIN_EMBEDDER_PREFIX) ? embedder.slice(PLUGIN_EMBEDDER_PREFIX.length) : null;
}

/**
 * Where a knowledge base's points are: the deployment's index, the plugin's collection for the
 * dimension the knowledge base recorded, or null when a plugin knowledge base has stored nothing yet.
 */
export async function vectorsOfKb(
  stores: { vectors?: VectorIndex; collections?: VectorCollections },
  kb: { embedder: string | null; embedderDimension: number | null },
): Promise<VectorIndex | null> {
  const pluginId = embedderPluginId(kb.embedder);
  if (pluginId === null) return stores.vectors ?? null;
  if (kb.embedderDimension === null || !stores.collections) return null;
  return stores.collections.open(pluginEmbedderSpace(pluginId, kb.embedderDimension), kb.embedderDimension);
}
