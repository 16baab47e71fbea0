import { join } from "node:path";
import { QdrantClient } from "@qdrant/js-client-rest";
import type { Config } from "../config.js";
import type { AppDeps, Logger, ReadinessCheck } from "../context.js";
import { createHttpMetrics } from "../metrics.js";
import { createOfflineEmbedder } from "../models/embedders/offline/index.js";
import type { Embedder } from "../models/types.js";
import { collectionNameFor, QdrantIndex } from "../vector/qdrant-index.js";
import { openConfiguredDatabase } from "./database.js";

export interface Runtime {
  deps: AppDeps;
  /** Base URL of the vector store (the embedded engine's loopback URL in the embedded profile). */
  vectorUrl: string;
  /** Closes everything this runtime opened, in reverse order. */
  close(): Promise<void>;
}

/**
 * Builds the dependencies shared by the API server and the worker from validated config.
 * Embedded profile: PGlite + the embedded Qdrant-compatible engine on a free loopback port.
 * Production: DATABASE_URL / QDRANT_URL. Both talk to vectors through @qdrant/js-client-rest.
 */
export async function composeRuntime(config: Config, logger: Logger): Promise<Runtime> {
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const fn of closers.reverse()) await fn().catch((err) => logger.error({ err }, "close failed"));
  };
  try {
    const database = await openConfiguredDatabase(config);
    closers.push(() => database.close());
    await database.migrate();

    let vectorUrl = config.QDRANT_URL;
    if (!vectorUrl) {
      const { startEngine } = await import("../vector/engine/index.js");
      const engine = await startEngine({
        dataDir: join(config.DATA_DIR, "vectors"),
        host: "127.0.0.1",
        port: 0,
      });
      closers.push(() => engine.close());
      vectorUrl = engine.url;
    }
    const client = new QdrantClient({
      url: vectorUrl,
      apiKey: config.QDRANT_API_KEY,
      checkCompatibility: false,
    });
    const embedder = createEmbedder(config);
    const vectors = new QdrantIndex({
      client,
      collection: collectionNameFor(embedder.id),
      dimension: embedder.dimension,
    });
    await vectors.ensureReady();

    const readiness: ReadinessCheck[] = [
      { name: "database", check: () => database.ping() },
      { name: "vectors", check: () => vectors.ping() },
    ];
    const deps: AppDeps = {
      config,
      database,
      logger,
      metrics: createHttpMetrics(),
      readiness,
      vectors,
      embedder,
      lifecycle: { draining: false },
    };
    return { deps, vectorUrl, close };
  } catch (err) {
    await close();
    throw err;
  }
}

function createEmbedder(config: Config): Embedder {
  return createOfflineEmbedder({ dimension: config.EMBEDDING_DIMENSION });
}
