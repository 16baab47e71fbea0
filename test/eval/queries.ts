import type { ProductApi } from "./product.js";
import { expectStatus } from "./product.js";
import type { EvalQuery } from "./tune/datasets.js";

export type SearchMode = "hybrid" | "dense" | "sparse";

export interface QueryRun {
  /** Query id -> corpus ids, best first, one entry per document (its best chunk's position). */
  rankings: Map<string, string[]>;
  /** Wall time of each POST /v1/search call, in ms. */
  latenciesMs: number[];
}

/**
 * Sends every query through POST /v1/search, one at a time like a single client, timing each call.
 * Chunks are collapsed to their documents, and documents mapped back to corpus ids. Chunk text is not
 * requested (with_text: false): the ranking is the same, and the latency is that of a references-only
 * search; latencyBreakdown also times the same search with text.
 */
export async function runQueries(
  api: ProductApi,
  opts: {
    key: string;
    kbId: string;
    queries: EvalQuery[];
    mode: SearchMode;
    topK: number;
    corpusIdOf: Map<string, string>;
  },
): Promise<QueryRun> {
  const rankings = new Map<string, string[]>();
  const latenciesMs: number[] = [];
  for (const q of opts.queries) {
    // Ranking needs document ids only, so the eval asks for references without chunk text.
    const body = {
      query: q.text,
      knowledge_base_ids: [opts.kbId],
      top_k: opts.topK,
      mode: opts.mode,
      with_text: false,
    };
    const started = performance.now();
    const res = await api.call("POST", "/v1/search", { key: opts.key, body });
    latenciesMs.push(performance.now() - started);
    const data = expectStatus(res, 200, `search for query ${q.id}`).data as { document_id: string }[];
    const seen = new Set<string>();
    for (const chunk of data) {
      const corpusId = opts.corpusIdOf.get(chunk.document_id);
      if (corpusId === undefined)
        throw new Error(`eval: search returned unknown document ${chunk.document_id}`);
      seen.add(corpusId);
    }
    rankings.set(q.id, [...seen]);
  }
  return { rankings, latenciesMs };
}

/** Nearest-rank percentile (p in 0..100) of unsorted samples. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}
