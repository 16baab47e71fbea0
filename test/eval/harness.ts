import { cpus, platform, totalmem } from "node:os";
import type { GoldSet } from "./answers/gold.js";
import { type AnswerEvalOptions, type AnswerReport, runAnswerEval } from "./answers/run.js";
import { type CorpusIngest, ingestCorpus } from "./ingest-run.js";
import { latencyBreakdown, type StepLatency } from "./latency-breakdown.js";
import { startProduct } from "./product.js";
import { percentile, runQueries, type SearchMode } from "./queries.js";
import { type EvalDataset, isCjkDataset } from "./tune/datasets.js";
import { evaluateRankings, type Metrics } from "./tune/metrics.js";
import { miniSearchRankings } from "./tune/minisearch-baseline.js";

export const ALL_MODES: SearchMode[] = ["hybrid", "dense", "sparse"];

export interface ModeResult {
  mode: SearchMode | "minisearch";
  metrics: Metrics;
  /** Per-query wall time (search call for product modes, MiniSearch.search for the baseline). */
  latencyMs: { p50: number; p99: number; mean: number };
}

export interface EvalReport {
  dataset: { name: string; docs: number; queries: number };
  machine: { cpu: string; cores: number; memoryGb: number; node: string; platform: string };
  embedder: string;
  knowledgeBase: { chunkSize: number; chunkOverlap: number };
  ingestion: CorpusIngest;
  topK: number;
  results: ModeResult[];
  /** With `latencyBreakdown`: per-step search timings on the same knowledge base. */
  latencyBreakdown?: StepLatency[];
  /** With `answers`: answer recall, sentences per answer and abstention through POST /v1/ask. */
  answers?: AnswerReport;
  createdAt: string;
}

export interface EvalOptions {
  modes?: SearchMode[];
  /** Only the first N queries (the whole corpus is still ingested). */
  limitQueries?: number;
  /** Knowledge-base chunking; the product defaults when unset. */
  chunkSize?: number;
  chunkOverlap?: number;
  uploadConcurrency?: number;
  ingestTimeoutMs?: number;
  /** Also time each step of a search request separately (on up to 300 of the queries). */
  latencyBreakdown?: boolean;
  /** Also evaluate answers (SQuAD-style sets with gold answer texts). */
  answers?: { set: GoldSet } & Omit<AnswerEvalOptions, "log" | "limitQueries">;
  log?: (line: string) => void;
}

const TOP_K = 100;

/** Limits a dataset to its first N queries, keeping qrels in step (metrics average over qrels). */
export function firstQueries(ds: EvalDataset, n?: number): EvalDataset {
  if (n === undefined || n >= ds.queries.length) return ds;
  const queries = ds.queries.slice(0, n);
  const qrels = new Map(queries.map((q) => [q.id, ds.qrels.get(q.id)!]));
  return { ...ds, queries, qrels };
}

function summarize(mode: ModeResult["mode"], metrics: Metrics, latencies: number[]): ModeResult {
  const mean = latencies.reduce((s, x) => s + x, 0) / Math.max(1, latencies.length);
  return {
    mode,
    metrics,
    latencyMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99), mean },
  };
}

/**
 * The whole evaluation through the product: boot the embedded runtime, ingest the corpus through the
 * upload route, run each query through POST /v1/search per mode, score, and add the MiniSearch
 * baseline computed on the same corpus and queries.
 */
export async function runProductEval(full: EvalDataset, opts: EvalOptions = {}): Promise<EvalReport> {
  const ds = firstQueries(full, opts.limitQueries);
  const log = opts.log ?? (() => {});
  const api = await startProduct();
  try {
    const ingest = await ingestCorpus(api, ds.docs, {
      kb: { chunk_size: opts.chunkSize, chunk_overlap: opts.chunkOverlap },
      concurrency: opts.uploadConcurrency,
      timeoutMs: opts.ingestTimeoutMs ?? 30 * 60_000,
      log,
    });
    const results: ModeResult[] = [];
    for (const mode of opts.modes ?? ALL_MODES) {
      const run = await runQueries(api, {
        key: ingest.queryKey,
        kbId: ingest.kb.kbId,
        queries: ds.queries,
        mode,
        topK: TOP_K,
        corpusIdOf: ingest.corpusIdOf,
      });
      results.push(summarize(mode, evaluateRankings(run.rankings, ds.qrels), run.latenciesMs));
      log(`${mode}: ${ds.queries.length} queries done`);
    }
    const breakdown = opts.latencyBreakdown
      ? await latencyBreakdown(api, {
          key: ingest.queryKey,
          kbId: ingest.kb.kbId,
          queries: ds.queries.slice(0, 300),
          topK: TOP_K,
        })
      : undefined;
    results.push(baseline(ds));
    const answers = opts.answers
      ? await runAnswerEval(api, opts.answers.set, { ...opts.answers, limitQueries: opts.limitQueries, log })
      : undefined;
    const embedder = api.runtime.deps.embedder?.id ?? "none";
    return {
      dataset: { name: ds.name, docs: ds.docs.length, queries: ds.queries.length },
      machine: {
        cpu: cpus()[0]?.model ?? "unknown",
        cores: cpus().length,
        memoryGb: Math.round(totalmem() / 2 ** 30),
        node: process.version,
        platform: platform(),
      },
      embedder,
      knowledgeBase: ingest.settings,
      ingestion: ingest.summary,
      topK: TOP_K,
      results,
      ...(breakdown ? { latencyBreakdown: breakdown } : {}),
      ...(answers ? { answers } : {}),
      createdAt: new Date().toISOString(),
    };
  } finally {
    await api.close();
  }
}

/** MiniSearch BM25+ over the same documents (title and text fields) and queries. */
function baseline(ds: EvalDataset): ModeResult {
  const started = performance.now();
  const rankings = miniSearchRankings(ds, isCjkDataset(ds), true);
  const perQuery = (performance.now() - started) / Math.max(1, ds.queries.length);
  // MiniSearch runs in one batch (index + all queries); report the amortised time per query.
  return summarize("minisearch", evaluateRankings(rankings, ds.qrels), [perQuery]);
}
