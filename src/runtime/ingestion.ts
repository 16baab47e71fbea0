import { warmTokenCounter } from "../../ingest/chunker/tokens.js";
import { holdParseThread } from "../../ingest/parsers/parse-pool.js";
import { holdPdfThread } from "../../ingest/parsers/pdf-thread.js";
import type { PipelineDeps } from "../../ingest/pipeline/deps.js";
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
import type { VectorIndex } from "../vector/types.js";

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
  embedder: Embedder;
  role: "api" | "worker";
  /** The backup's write barrier (embedded profile): blob writes and deletes pass through it. */
  gate?: WriteGate;
}): Promise<Ingestion> {
  const { config, logger } = opts;
  const store = createBlobStore(config, opts.database);
  const blobs = opts.gate ? new GatedBlobStore(store, opts.gate) : store;
  const deps: PipelineDeps = {
    database: opts.database,
    vectors: opts.vectors,
    embedder: opts.embedder,
    blobs,
    logger,
    parseLimits: {
      maxPages: config.MAX_PAGES,
      timeoutMs: config.PARSE_TIMEOUT_MS,
      heapMb: config.PARSE_HEAP_MB,
    },
  };
  const { processor, onFailure } = createIngestProcessor(deps);
  const runs = opts.role === "worker" || apiRunsPipeline(config);

  let queue: IngestQueue;
  let runner: IngestRunner | null = null;
  if (config.REDIS_URL) {
    const bull = { redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX };
    queue = createBullQueue(bull);
    if (runs) {
      runner = startBullWorker({
        ...bull,
        concurrency: config.WORKER_CONCURRENCY,
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
      concurrency: config.WORKER_CONCURRENCY,
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
    },
  };
}
