import {
  createOfflineEmbedder,
  DEFAULT_OFFLINE_CONFIG,
  type OfflineConfig,
} from "../../../src/models/embedders/offline/index.js";
import type { EvalDataset } from "./datasets.js";
import { fuse, retrieve, retrieveSparse, score, type TitlePolicy } from "./harness.js";
import type { Metrics } from "./metrics.js";

const f4 = (x: number) => x.toFixed(4);
const brief = (m: Metrics) =>
  `nDCG@10 ${f4(m.ndcg10)}  R@1 ${f4(m.r1)}  R@10 ${f4(m.r10)}  R@100 ${f4(m.r100)}`;

type Overrides = Partial<Omit<OfflineConfig, "dimension">>;

/** RRF k, per-list weights and prefetch depth, on one retrieval (fusion needs no re-embedding). */
async function fusionSweep(ds: EvalDataset, policy: TitlePolicy, dimension?: number, config?: Overrides) {
  const r = await retrieve(ds, createOfflineEmbedder({ dimension, config }), policy, 100);
  console.log(`sparse only: ${brief(score(ds, r.sparse))}`);
  console.log(`dense only: ${brief(score(ds, r.dense))}`);
  for (const prefetch of [20, 50, 100]) {
    for (const k of [1, 2, 5, 10, 60]) {
      for (const dw of [0, 0.1, 0.2, 0.3, 0.5, 1]) {
        const m = score(ds, fuse(r, { k, denseWeight: dw, sparseWeight: 1 }, prefetch));
        console.log(`prefetch=${prefetch} k=${k} denseWeight=${dw}: ${brief(m)}`);
      }
    }
  }
}

async function sparseSweep(ds: EvalDataset, policy: TitlePolicy) {
  const grid: Overrides[] = [];
  for (const k1 of [0.9, 1.2, 1.6, 2.0])
    for (const b of [0.5, 0.75, 0.9]) for (const avgdl of [100, 200, 400]) grid.push({ k1, b, avgdl });
  for (const minLengthRatio of [0.25, 0.5]) grid.push({ minLengthRatio });
  for (const queryUnigramWeight of [0.2, 0.5, 1]) grid.push({ cjkUnigrams: true, queryUnigramWeight });
  for (const config of grid) {
    const lists = await retrieveSparse(ds, createOfflineEmbedder({ config }), policy, 100);
    console.log(`${JSON.stringify(config)}: ${brief(score(ds, lists))}`);
  }
}

async function denseSweep(ds: EvalDataset, policy: TitlePolicy) {
  const base = DEFAULT_OFFLINE_CONFIG.dense;
  const variants: [number, Overrides["dense"]][] = [
    [384, base],
    [384, { ...base, wordBigram: 0 }],
    [384, { ...base, charGram: 0 }],
    [384, { ...base, charGram: 1 }],
    [384, { ...base, charGramSize: 4 }],
    [384, { ...base, lengthBoost: 1 }],
    [384, { ...base, lengthBoost: 3 }],
    [384, { ...base, cjkUnigram: 0 }],
    [384, { ...base, cjkUnigram: 1 }],
    [256, base],
    [768, base],
    [1024, base],
  ];
  for (const [dimension, dense] of variants) {
    const r = await retrieve(ds, createOfflineEmbedder({ dimension, config: { dense } }), policy, 100);
    const hy = (w: number) => brief(score(ds, fuse(r, { k: 2, denseWeight: w, sparseWeight: 1 })));
    console.log(`dim=${dimension} ${JSON.stringify(dense)}\n  dense: ${brief(score(ds, r.dense))}`);
    console.log(`  hybrid w=.2: ${hy(0.2)}\n  hybrid w=.5: ${hy(0.5)}`);
  }
}

export async function runSweeps(ds: EvalDataset, policy: TitlePolicy, which: string) {
  if (which === "fusion" || which === "all") await fusionSweep(ds, policy);
  if (which === "sparse" || which === "all") await sparseSweep(ds, policy);
  if (which === "dense" || which === "all") await denseSweep(ds, policy);
}
