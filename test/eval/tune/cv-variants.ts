import {
  DEFAULT_OFFLINE_CONFIG,
  OFFLINE_FUSION,
  type OfflineConfig,
} from "../../../src/models/embedders/offline/index.js";
import type { Fusion, Prf } from "./harness.js";

export type Overrides = Partial<Omit<OfflineConfig, "dimension">>;

/** A candidate setting: embedder knobs (re-embeds the corpus) and fusion (reuses the retrieval). */
export interface Variant {
  name: string;
  config: Overrides;
  fusion: Fusion;
  /** Pseudo-relevance feedback on the sparse side (tuning harness only). */
  prf?: Prf;
}

const fusion: Fusion = { k: OFFLINE_FUSION.k, denseWeight: OFFLINE_FUSION.denseWeight, sparseWeight: 1 };
/** The embedder as it was before script folding (offline-hash-v1 as first shipped). */
export const BEFORE: Overrides = { foldScript: false, queryUnfoldedWeight: 0 };

const v = (name: string, config: Overrides, f: Partial<Fusion> = {}, prf?: Prf): Variant => ({
  name,
  config,
  fusion: { ...fusion, ...f },
  ...(prf ? { prf } : {}),
});

/** Knobs that only change how CJK text is indexed or queried: text without CJK embeds the same. */
export const CJK_ONLY_KNOBS = new Set<string>([
  "cjk",
  "cjkUnigrams",
  "queryUnigramWeight",
  "foldScript",
  "queryUnfoldedWeight",
]);

/** Named grids for `--grid`; every grid starts with the shipped defaults so "no change" can win. */
export const GRIDS: Record<string, Variant[]> = {
  script: [
    v("before (no folding)", BEFORE),
    v("default", {}),
    v("fold, no unfolded query terms", { queryUnfoldedWeight: 0 }),
  ],
  bm25: [
    v("default", {}),
    ...[1.2, 2.0].map((k1) => v(`k1=${k1}`, { k1 })),
    ...[0.35, 0.75].map((b) => v(`b=${b}`, { b })),
  ],
  cjk: [
    v("default", {}),
    ...[1.2, 2.0].map((k1) => v(`cjk k1=${k1}`, { cjk: { ...DEFAULT_OFFLINE_CONFIG.cjk, k1 } })),
    ...[0.35, 0.65, 0.75].map((b) => v(`cjk b=${b}`, { cjk: { ...DEFAULT_OFFLINE_CONFIG.cjk, b } })),
    ...[400, 600].map((avgdl) => v(`cjk avgdl=${avgdl}`, { cjk: { ...DEFAULT_OFFLINE_CONFIG.cjk, avgdl } })),
    ...[0.3, 0.7].map((w) => v(`queryUnigramWeight=${w}`, { queryUnigramWeight: w })),
  ],
  prf: [
    v("default", {}),
    ...[
      { docs: 3, terms: 5, weight: 0.3 },
      { docs: 3, terms: 10, weight: 0.3 },
      { docs: 5, terms: 10, weight: 0.5 },
      { docs: 3, terms: 10, weight: 0.15 },
    ].map((prf) => v(`prf ${prf.docs} docs ${prf.terms} terms w=${prf.weight}`, {}, {}, prf)),
  ],
  fusion: [
    v("default", {}),
    ...[0, 0.05, 0.2, 0.3].map((w) => v(`denseWeight=${w}`, {}, { denseWeight: w })),
    v("k=1", {}, { k: 1 }),
    v("k=5", {}, { k: 5 }),
  ],
};
