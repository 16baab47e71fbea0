import * as OpenCC from "opencc-js";
import type { EvalDataset } from "./datasets.js";

/**
 * Traditional Chinese copies of a Simplified set, made at run time with OpenCC (opencc-js, its bundled
 * dictionaries, Taiwan standard with Taiwan phrases): no Traditional set ships with the project, and
 * CMRC2018's converted text is not committed.
 *   traditional: documents and questions converted (a Traditional knowledge base, Traditional users);
 *   mixed: documents kept Simplified, questions converted (a Traditional user asking Simplified text).
 */
export type ScriptVariant = "simplified" | "traditional" | "mixed";

export const SCRIPT_VARIANTS: ScriptVariant[] = ["simplified", "traditional", "mixed"];

let toTraditional: ((text: string) => string) | null = null;

export function convertToTraditional(text: string): string {
  toTraditional ??= OpenCC.Converter({ from: "cn", to: "twp" });
  return toTraditional(text);
}

export function withScript(ds: EvalDataset, variant: ScriptVariant): EvalDataset {
  if (variant === "simplified") return ds;
  const docs =
    variant === "traditional"
      ? ds.docs.map((d) => ({
          ...d,
          title: convertToTraditional(d.title),
          text: convertToTraditional(d.text),
        }))
      : ds.docs;
  const queries = ds.queries.map((q) => ({ ...q, text: convertToTraditional(q.text) }));
  return { ...ds, name: `${ds.name}-${variant}`, docs, queries };
}
