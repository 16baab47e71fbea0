import { warmTokenCounter } from "../../ingest/chunker/tokens.js";
import { holdParseThread } from "../../ingest/parsers/parse-pool.js";
import { holdPdfThread } from "../../ingest/parsers/pdf-thread.js";
import { createBatchingProcessor } from "../../ingest/pipeline/batcher.js";
import type { EmbeddingUsage, PipelineDeps, UsageLedger } from "../../ingest/pipeline/deps.js";
import { createIngestProcessor } from "../../ingest/pipeline/process.js";
import { recoverUnfinished } from "../../ingest/pipeline/recover.js";
import { createBullQueue, startBullWorker } from "../../ingest/queue/bullmq.js";
import { createInProcessQueue } from "../../ingest/queue/in-process.js";
import type { IngestQueue, IngestRunner } from "../../ingest/queue/types.js";
import type { WriteGate } from "../backup/gate.js";
import { GatedBlobStore } from "../backup/gated-stores.js";
import { createBlobStore } from "../blobs/index.js";
import type { BlobStore } from "../blobs/types.js";
import type { Config } from "../config.js";
import type { Logger } from "../context.js";
import type { Database } from "../db/client.js";
import type { Embedder } from "../models/types.js";
import { PluginRuntime } from "../plugins/runtime.js";
import { type LedgerEntry, recordUsage, recordUsages } from "../services/ledger/record.js";
import { ingestPlugins } from "../services/plugins/ingest.js";
import type { VectorCollections } from "../vector/collections.js";
import type { VectorIndex } from "../vector/types.js";

/** The pipeline bills embedding through the usage ledger, one row per batch that used tokens. */
const embeddingEntry = (u: EmbeddingUsage): LedgerEntry => ({
  tenantId: u.tenantId,
  keyId: u.keyId,
  kind: "embedding",
  kbIds: [u.kbId],
  model: u.model,
  embeddingTokens: u.tokens,
  costMicros: u.costMicros,
  usageSource: "provider",
  status: "ok",
});
const embeddingLedger: UsageLedger = {
  async recordEmbedding(tx, u) {
    await recordUsage(tx, embeddingEntry(u));
  },
  async recordEmbeddings(tx, usages) {
    await recordUsages(tx, usages.map(embeddingEntry));
  },
};

export interface Ingestion {
  blobs: BlobStore;
  queue: IngestQueue;
  /** Set when this process runs the pipeline itself. */
  runner: IngestRunner | null;
  close(): Promise<void>;
}

/**
 * Whether the API process runs the pipeline itself: always without Redis (nothing to share jobs
 * through), and whenever a separate worker could not share its state (PGlite, embedded engine).
 */
export function apiRunsPipeline(config: Config): boolean {
  return !config.REDIS_URL || !config.DATABASE_URL || !config.QDRANT_URL || config.INGEST_IN_PROCESS === true;
}

export async function composeIngestion(opts: {
  config: Config;
  logger: Logger;
  database: Database;
  vectors: VectorIndex;
  /** Collections of knowledge bases embedded by a plugin; without them such documents fail embedder_not_enabled. */
  vectorCollections?: VectorCollections;
  embedder: Embedder;
  role: "api" | "worker";
  /** The backup's write barrier (embedded profile): blob writes and deletes pass through it. */
  gate?: WriteGate;
  /** The plugin sandboxes the app also uses (loaders and text filters run at ingestion); own ones if unset. */
  pluginRuntime?: PluginRuntime;
}): Promise<Ingestion> {
  const { config, logger } = opts;
  const store = createBlobStore(config, opts.database);
  const blobs = opts.gate ? new GatedBlobStore(store, opts.gate) : store;
  const pluginRuntime = opts.pluginRuntime ?? PluginRuntime.fromConfig(config, logger);
  const deps: PipelineDeps = {
    database: opts.database,
    vectors: opts.vectors,
    ...(opts.vectorCollections ? { collections: opts.vectorCollections } : {}),
    embedder: opts.embedder,
    blobs,
    logger,
    usage: embeddingLedger,
    parseLimits: {
      maxPages: config.MAX_PAGES,
      timeoutMs: config.PARSE_TIMEOUT_MS,
      heapMb: config.PARSE_HEAP_MB,
    },
    plugins: ingestPlugins({
      database: opts.database,
      config,
      logger,
      plugins: pluginRuntime,
    }),
  };
  const { processor: single, onFailure } = createIngestProcessor(deps);
  // The queue runs up to a batch's worth of jobs at once; the batching processor gathers the small
  // new ones into one batch and keeps the others to WORKER_CONCURRENCY at a time.
  const batching = config.INGEST_BATCH_SIZE > 1;
  const processor = batching
    ? createBatchingProcessor(deps, single, {
        maxBatch: config.INGEST_BATCH_SIZE,
        singleConcurrency: config.WORKER_CONCURRENCY,
      })
    : single;
  const concurrency = batching
    ? Math.max(config.WORKER_CONCURRENCY, config.INGEST_BATCH_SIZE)
    : config.WORKER_CONCURRENCY;
  const runs = opts.role === "worker" || apiRunsPipeline(config);

  let queue: IngestQueue;
  let runner: IngestRunner | null = null;
  if (config.REDIS_URL) {
    const bull = { redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX };
    queue = createBullQueue(bull);
    if (runs) {
      runner = startBullWorker({
        ...bull,
        concurrency,
        lockMs: config.WORKER_LOCK_MS,
        stalledIntervalMs: config.WORKER_STALLED_INTERVAL_MS,
        maxStalledCount: config.WORKER_MAX_STALLED_COUNT,
        processor,
        onFailure,
        logger,
      });
    }
  } else {
    const local = createInProcessQueue({
      concurrency,
      processor,
      onFailure,
      logger,
    });
    queue = local;
    runner = local;
  }

  let timer: NodeJS.Timeout | null = null;
  let releaseThreads: (() => void) | null = null;
  if (runner) {
    // Warm what the first document would otherwise wait for: the PDF thread, a parse thread for the
    // other formats and the token counter.
    const releasePdf = holdPdfThread();
    const releaseParse = holdParseThread(deps.parseLimits);
    releaseThreads = () => {
      releasePdf();
      releaseParse();
    };
    warmTokenCounter();
    // Other API replicas sharing the database may be between storing an upload and queueing it;
    // only an in-memory queue cannot tell, so it leaves young versions alone.
    const cutoff = () =>
      queue.kind === "in-process" && opts.database.kind === "postgres"
        ? new Date(Date.now() - 15 * 60_000)
        : undefined;
    const recover = () =>
      recoverUnfinished(deps, queue, {
        olderThan: cutoff(),
        maxCrashRetries: config.WORKER_MAX_STALLED_COUNT,
      }).catch((err) => logger.error({ err }, "ingest recovery failed"));
    await recover();
    timer = setInterval(recover, config.INGEST_RECOVERY_INTERVAL_MS);
    timer.unref();
  }
  return {
    blobs,
    queue,
    runner,
    async close() {
      if (timer) clearInterval(timer);
      if (runner && runner !== queue) await runner.close();
      await queue.close();
      releaseThreads?.();
      if (!opts.pluginRuntime) pluginRuntime.close();
    },
  };
}
