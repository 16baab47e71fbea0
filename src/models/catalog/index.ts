import type { Price } from "../cost.js";
import catalogFile from "./catalog.json" with { type: "json" };
import type { CatalogEntry, CatalogFile } from "./types.js";

export type { CatalogEntry, CatalogFile } from "./types.js";

/** The built-in catalog; a JSON import so it bundles for Workers without file access. */
export const builtinCatalog: CatalogFile = catalogFile as CatalogFile;

/** Finds a model by its upstream name ("gpt-4o") or LiteLLM key ("deepseek/deepseek-chat"). */
export function findCatalogEntry(catalog: CatalogFile, name: string): CatalogEntry | undefined {
  return catalog.models.find((m) => m.id === name || m.litellmKey === name);
}

/** The entry's price with the cache price resolved (no listed discount → input price). */
export function catalogPrice(entry: CatalogEntry): Price {
  return {
    inputMicrosPerMillion: entry.price.inputMicrosPerMillion,
    outputMicrosPerMillion: entry.price.outputMicrosPerMillion,
    cachedInputMicrosPerMillion: entry.price.cachedInputMicrosPerMillion ?? entry.price.inputMicrosPerMillion,
  };
}
