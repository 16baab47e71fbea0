import type { ServiceCtx } from "../../context.js";
import { invoke } from "../../plugins/package.js";
import type { PluginLane } from "../../plugins/sandbox/pool.js";
import { embedderPluginId, PLUGIN_EMBEDDER_PREFIX } from "../../vector/collections.js";
import { PluginError, ServiceError } from "../errors.js";
import type { PluginDeps } from "./install.js";
import { enabledPlugins } from "./org.js";

/**
 * Embedder plugins (issue 19): a knowledge base may name one (`embedder: "plugin:<id>"`), and its
 * chunks and queries are then embedded by the plugin's `embed` operation in its sandbox. Nothing the
 * plugin returns is trusted: the count, the numbers and the dimension are checked here before a
 * vector reaches the index.
 */

/** Beyond any embedding model in use; a plugin answering more is broken, not generous. */
export const MAX_PLUGIN_DIMENSION = 8192;

/** The default setting as the API shows it; stored as null. */
export const DEFAULT_EMBEDDER = "default";

/**
 * The stored setting for a requested embedder: null for the deployment's, `plugin:<id>` for an
 * embedder plugin the caller's organization has enabled (anything else: embedder_not_enabled).
 */
export async function checkEmbedderChoice(ctx: ServiceCtx, requested: string): Promise<string | null> {
  if (requested === DEFAULT_EMBEDDER) return null;
  const pluginId = embedderPluginId(requested);
  const enabled = pluginId
    ? (await enabledPlugins(ctx.deps, ctx.auth.tenantId, "embedder")).some((p) => p.manifest.id === pluginId)
    : false;
  if (!enabled) {
    throw new ServiceError(
      "embedder_not_enabled",
      `"${requested}" is not an embedder this organization may use: use "${DEFAULT_EMBEDDER}", or "${PLUGIN_EMBEDDER_PREFIX}<id>" for an embedder plugin enabled in PUT /v1/plugins/{id}.`,
      { fields: [{ field: "embedder", message: "not the default nor an enabled embedder plugin" }] },
    );
  }
  return requested;
}

/**
 * Throws plugin_bad_output unless `vectors` are one finite vector per text, all of one dimension
 * (the knowledge base's, when it recorded one). Returns the dimension.
 */
export function checkPluginVectors(
  pluginId: string,
  vectors: number[][],
  count: number,
  expected: number | null,
): number {
  const bad = (why: string) => new PluginError("plugin_bad_output", pluginId, `embed ${why}`);
  if (vectors.length !== count) throw bad(`answered ${vectors.length} vectors for ${count} texts`);
  const dimension = vectors[0]?.length ?? expected ?? 0;
  if (count > 0 && (dimension < 1 || dimension > MAX_PLUGIN_DIMENSION)) {
    throw bad(`answered vectors of ${dimension} dimensions (1 to ${MAX_PLUGIN_DIMENSION} are accepted)`);
  }
  for (const [i, v] of vectors.entries()) {
    if (v.length !== dimension) {
      throw bad(`answered vectors of mixed dimensions (${dimension} and ${v.length}, text ${i + 1})`);
    }
    if (!v.every(Number.isFinite)) throw bad(`answered a vector with a non-finite value (text ${i + 1})`);
    if (!v.some((x) => x !== 0))
      throw bad(`answered an all-zero vector (text ${i + 1}), which has no direction`);
  }
  if (expected !== null && count > 0 && dimension !== expected) {
    throw bad(
      `answered ${dimension}-dimensional vectors, but this knowledge base's vectors have ${expected}; a plugin that changed its dimension needs a new knowledge base`,
    );
  }
  return dimension;
}

/**
 * Dense vectors of `texts` from an organization's enabled embedder plugin, checked; null when the
 * organization no longer has it enabled. `cached`: the enabled list as read in the last seconds (search).
 * `lane`: `background` for ingestion, so queries of the same plugin do not wait behind it.
 */
export async function pluginEmbed(
  deps: PluginDeps,
  tenantId: string,
  pluginId: string,
  texts: string[],
  opts: { expectedDimension: number | null; cached?: boolean; lane?: PluginLane },
): Promise<number[][] | null> {
  const plugins = await enabledPlugins(deps, tenantId, "embedder", { cached: opts.cached ?? false });
  const plugin = plugins.find((p) => p.manifest.id === pluginId);
  if (!plugin) return null;
  if (texts.length === 0) return [];
  const { vectors } = await invoke(
    plugin.sandbox,
    "embedder",
    "embed",
    { texts },
    plugin.config,
    opts.lane ?? "interactive",
  );
  checkPluginVectors(pluginId, vectors, texts.length, opts.expectedDimension);
  return vectors;
}

/** The `plugin:<id>` names of the embedder plugins an organization has enabled, in id order. */
export async function embedderPluginModels(ctx: ServiceCtx): Promise<string[]> {
  const plugins = await enabledPlugins(ctx.deps, ctx.auth.tenantId, "embedder", { cached: true });
  return plugins.map((p) => `${PLUGIN_EMBEDDER_PREFIX}${p.manifest.id}`);
}
