import { ParseError } from "../../../ingest/parsers/errors.js";
import type { IngestPlugins, PluginPage } from "../../../ingest/pipeline/deps.js";
import { PLUGIN_FORMAT_PREFIX } from "../../../ingest/pipeline/plugin-format.js";
import type { DocFormat } from "../../../ingest/types.js";
import type { ServiceCtx } from "../../context.js";
import type { PluginManifest } from "../../plugins/manifest.js";
import { invoke } from "../../plugins/package.js";
import { pluginEmbed } from "./embedders.js";
import type { PluginDeps } from "./install.js";
import { enabledPlugins } from "./org.js";

/**
 * Loaders and text filters at ingestion (issue 19). Uploads: an organization's enabled loaders extend
 * what is accepted, by the extensions and media types in their manifests, for content the host does
 * not read itself (or reads only as plain text, like CSV). Ingestion: the pipeline receives
 * `ingestPlugins(deps)` in its dependencies and calls loaders and filters through their sandboxes.
 */

const GENERIC_TYPES = new Set(["", "application/octet-stream", "binary/octet-stream", "application/zip"]);
/** Names the built-in text reader keeps even when a loader claims text in general. */
const PLAIN_TEXT_EXTENSIONS = new Set(["", ".txt", ".text", ".md", ".markdown", ".html", ".htm"]);

const extensionOf = (filename: string) => /\.[a-z0-9]{1,10}$/i.exec(filename)?.[0].toLowerCase() ?? "";
const mediaTypeOf = (contentType: string | undefined | null) =>
  (contentType ?? "").split(";")[0]!.trim().toLowerCase();

/** Whether a loader's manifest claims a file, by extension first, then by a specific media type. */
export function loaderClaims(
  manifest: PluginManifest,
  filename: string,
  contentType?: string | null,
): boolean {
  const ext = extensionOf(filename);
  if (ext && manifest.extensions.includes(ext)) return true;
  const type = mediaTypeOf(contentType);
  return !GENERIC_TYPES.has(type) && manifest.mediaTypes.includes(type);
}

/**
 * Whether an upload may be a loader's: the host cannot read it (detected null), or reads it only as
 * text while its name or type says otherwise (a .csv), unless the uploader declared plain text (bulk
 * JSONL lines do: their title must not change the parser). Cheap and synchronous, so uploads of what
 * the host reads itself never look plugins up.
 */
export function mayNeedLoader(detected: DocFormat | null, filename: string, contentType?: string): boolean {
  if (detected === null) return true;
  if (detected !== "text") return false;
  const type = mediaTypeOf(contentType);
  if (type === "text/plain") return false;
  return type === "text/csv" || !PLAIN_TEXT_EXTENSIONS.has(extensionOf(filename));
}

/**
 * The stored format of an upload an enabled loader of the caller's organization claims
 * (`plugin:<id>`), or null to keep the host's own detection (and its 415 for what nobody reads).
 */
export async function loaderFormat(
  ctx: ServiceCtx,
  file: { filename: string; contentType?: string },
  detected: DocFormat | null,
): Promise<string | null> {
  if (!mayNeedLoader(detected, file.filename, file.contentType)) return null;
  const loaders = await enabledPlugins(ctx.deps, ctx.auth.tenantId, "loader");
  const claim = loaders.find((p) => loaderClaims(p.manifest, file.filename, file.contentType));
  return claim ? `${PLUGIN_FORMAT_PREFIX}${claim.manifest.id}` : null;
}

/** The media type a loader is told: the upload's when specific, else the one its manifest pairs with. */
function mediaTypeFor(manifest: PluginManifest, file: { filename: string; mediaType: string }): string {
  const given = mediaTypeOf(file.mediaType);
  if (!GENERIC_TYPES.has(given)) return given;
  return manifest.mediaTypes[manifest.extensions.indexOf(extensionOf(file.filename))] ?? given;
}

/** The plugin capability ingestion is composed with. */
export function ingestPlugins(deps: PluginDeps): IngestPlugins {
  return {
    async load(tenantId, loaderId, file) {
      const loader = (await enabledPlugins(deps, tenantId, "loader")).find((p) => p.manifest.id === loaderId);
      if (!loader) {
        throw new ParseError(
          "unsupported_type",
          `This document is read by the loader plugin ${loaderId}, which is no longer enabled for your organization. Enable it again, then upload the document again.`,
        );
      }
      const input = {
        bytes: Buffer.from(file.bytes).toString("base64"),
        mediaType: mediaTypeFor(loader.manifest, file),
        filename: file.filename,
      };
      return invoke(loader.sandbox, "loader", "load", input, loader.config);
    },
    async loaderFor(tenantId, file) {
      const loaders = await enabledPlugins(deps, tenantId, "loader");
      return (
        loaders.find((p) => loaderClaims(p.manifest, file.filename, file.mediaType))?.manifest.id ?? null
      );
    },
    async hasTextFilters(tenantId) {
      return (await enabledPlugins(deps, tenantId, "text-filter")).length > 0;
    },
    async filter(tenantId, kbId, pages) {
      let out: PluginPage[] = pages;
      for (const p of await enabledPlugins(deps, tenantId, "text-filter")) {
        const input = { pages: out, knowledgeBaseId: kbId };
        const result = await invoke(p.sandbox, "text-filter", "filter", input, p.config);
        out = result.pages;
        if (Object.keys(result.counts).length) {
          deps.logger.info({ plugin: p.manifest.id, kbId, counts: result.counts }, "text filtered");
        }
      }
      return out;
    },
    embed(tenantId, pluginId, texts, expectedDimension) {
      return pluginEmbed(deps, tenantId, pluginId, texts, { expectedDimension, lane: "background" });
    },
  };
}
