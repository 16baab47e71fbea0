import { join } from "node:path";
import { QdrantClient } from "@qdrant/js-client-rest";
import { embeddedBackupSource } from "../backup/create.js";
import { WriteGate } from "../backup/gate.js";
import { GatedVectorIndex } from "../backup/gated-stores.js";
import { createPayments } from "../billing/payments/index.js";
import type { Config } from "../config.js";
import type { AppDeps, Logger, ReadinessCheck } from "../context.js";
import { createHttpMetrics } from "../metrics.js";
import { createRequestLog } from "../ops/request-log.js";
import { PluginRuntime } from "../plugins/runtime.js";
import { createMemoryRateLimiter } from "../ratelimit/memory.js";
import { createRedisRateLimiter } from "../ratelimit/redis.js";
import { documentStatusCounts, recentStageDurations } from "../services/documents/status-counts.js";
import { qdrantCollections } from "../vector/collections.js";
import { routeVectorStoreFetch } from "../vector/engine-fetch.js";
import { collectionNameFor, QdrantIndex } from "../vector/qdrant-index.js";
import type { VectorIndex } from "../vector/types.js";
import { consoleAssetsFromDir, DEFAULT_CONSOLE_DIR } from "./console-assets.js";
import { openConfiguredDatabase } from "./database.js";
import { createConfiguredEmbedder } from "./embedder.js";
import { composeIngestion, type Ingestion } from "./ingestion.js";
import { modelRegistryFromConfig } from "./models.js";
import { redisReadiness } from "./redis-check.js";
import { askWarmUpSteps, startWarmUp, type WarmUp } from "./warm-up.js";

export interface Runtime {
  deps: AppDeps;
  /** Base URL of the vector store (the embedded engine's loopback URL in the embedded profile). */
  vectorUrl: string;
  ingestion: Ingestion;
  /** The API's background warm-up of the ask path (null for workers, which never answer questions). */
  warmUp: WarmUp | null;
  /** Closes everything this runtime opened, in reverse order. */
  close(): Promise<void>;
}

/**
 * Builds the dependencies shared by the API server and the worker from validated config.
 * Embedded profile: PGlite + the embedded Qdrant-compatible engine on a free loopback port.
 * Production: DATABASE_URL / QDRANT_URL. Both talk to vectors through @qdrant/js-client-rest.
 */
export async function composeRuntime(
  config: Config,
  logger: Logger,
  opts: { role?: "api" | "worker" } = {},
): Promise<Runtime> {
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const fn of closers.reverse()) await fn().catch((err) => logger.error({ err }, "close failed"));
  };
  try {
    const database = await openConfiguredDatabase(config);
    closers.push(() => database.close());
    await database.migrate();

    let vectorUrl = config.QDRANT_URL;
    let engine: import("../vector/engine/index.js").EngineHandle | undefined;
    if (!vectorUrl) {
      const { startEngine } = await import("../vector/engine/index.js");
      engine = await startEngine({
        dataDir: join(config.DATA_DIR, "vectors"),
        host: "127.0.0.1",
        port: 0,
      });
      const started = engine;
      closers.push(() => started.close());
      vectorUrl = engine.url;
    }
    routeVectorStoreFetch(vectorUrl);
    const client = new QdrantClient({
      url: vectorUrl,
      apiKey: config.QDRANT_API_KEY,
      checkCompatibility: false,
    });
    const embedder = createConfiguredEmbedder(config);
    // The embedded profile can be backed up while serving: vector and blob writes pass a barrier.
    const embedded = engine && database.dumpDataDir ? { engine, dump: database.dumpDataDir } : null;
    const gate = embedded ? new WriteGate() : undefined;
    const qdrant = new QdrantIndex({
      client,
      collection: collectionNameFor(embedder.id),
      dimension: embedder.dimension,
    });
    const vectors = gate ? new GatedVectorIndex(qdrant, gate) : qdrant;
    await vectors.ensureReady();
    // Knowledge bases embedded by a plugin keep their points in collections of their own (issue 19).
    const vectorCollections = qdrantCollections({
      client,
      ...(gate ? { wrap: (index: VectorIndex) => new GatedVectorIndex(index, gate) } : {}),
    });
    // One set of plugin sandboxes for the app (ask steps) and ingestion (loaders, text filters).
    const pluginRuntime = PluginRuntime.fromConfig(config, logger);
    closers.push(async () => pluginRuntime.close());
    const ingestion = await composeIngestion({
      pluginRuntime,
      config,
      logger,
      database,
      vectors,
      vectorCollections,
      embedder,
      role: opts.role ?? "api",
      gate,
    });
    closers.push(() => ingestion.close());

    const models = modelRegistryFromConfig(config);
    const rateLimiter = config.REDIS_URL
      ? createRedisRateLimiter({ url: config.REDIS_URL })
      : createMemoryRateLimiter();
    closers.push(() => rateLimiter.close());

    const readiness: ReadinessCheck[] = [
      { name: "database", check: () => database.ping() },
      { name: "vectors", check: () => vectors.ping() },
    ];
    if (config.REDIS_URL) {
      const redis = redisReadiness(config.REDIS_URL);
      closers.push(() => redis.close());
      readiness.push(redis);
    }
    // Workers answer no requests; the API processes write the SLA's request log (closed, i.e. flushed,
    // before the database).
    const requestLog =
      opts.role === "worker"
        ? undefined
        : createRequestLog({
            db: database.db,
            logger,
            retentionDays: config.REQUEST_LOG_RETENTION_DAYS,
          });
    if (requestLog) closers.push(() => requestLog.close());
    const metrics = createHttpMetrics({
      documents: () => documentStatusCounts(database.db),
      stages: () => recentStageDurations(database.db),
      queue: ingestion.queue.depth ? () => ingestion.queue.depth?.() ?? Promise.resolve({}) : undefined,
      readiness,
      requestLog,
    });
    const deps: AppDeps = {
      config,
      database,
      logger,
      metrics,
      requestLog,
      readiness,
      vectors,
      vectorCollections,
      embedder,
      blobs: ingestion.blobs,
      ingestQueue: ingestion.queue,
      models,
      rateLimiter,
      consoleAssets:
        opts.role === "worker" ? undefined : consoleAssetsFromDir(config.CONSOLE_DIR ?? DEFAULT_CONSOLE_DIR),
      lifecycle: { draining: false },
      backup:
        embedded && gate
          ? embeddedBackupSource({
              gate,
              dumpDatabase: embedded.dump,
              exportVectors: () => embedded.engine.exportSnapshot(),
              dataDir: config.DATA_DIR,
              logger,
            })
          : undefined,
      payments: createPayments(config),
      plugins: pluginRuntime,
    };
    // Started last and not awaited: readiness and the first requests never wait for it.
    const warmUp =
      opts.role === "worker"
        ? null
        : startWarmUp(askWarmUpSteps({ embedder, models, vectors }), { logger, registry: metrics.registry });
    return { deps, vectorUrl, ingestion, warmUp, close };
  } catch (err) {
    await close();
    throw err;
  }
}
