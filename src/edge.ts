import { QdrantClient } from "@qdrant/js-client-rest";
import { createApp } from "./app.js";
import { parseConfig } from "./config.js";
import type { AppDeps, Logger } from "./context.js";
import { openPostgres } from "./db/postgres.js";
import { createOfflineEmbedder } from "./models/embedders/offline/index.js";
import { offlineModelRegistry } from "./models/registry.js";
import { collectionNameFor, QdrantIndex } from "./vector/qdrant-index.js";

/**
 * Cloudflare Workers entry: the same app, composed from edge-capable dependencies only:
 * PostgreSQL over a connection string (or a Hyperdrive binding), Qdrant over HTTP, providers over HTTP.
 * Ingestion needs the Node server or worker (parsers and BullMQ do not run on the edge).
 */
interface EdgeEnv {
  HYPERDRIVE?: { connectionString: string };
  [name: string]: unknown;
}

function consoleLogger(bindings: Record<string, unknown> = {}): Logger {
  const emit = (level: string) => (obj: object | string, msg?: string) =>
    console.log(
      JSON.stringify({ level, ...bindings, ...(typeof obj === "string" ? { msg: obj } : { ...obj, msg }) }),
    );
  return {
    info: emit("info"),
    warn: emit("warn"),
    error: emit("error"),
    debug: () => {},
    child: (more) => consoleLogger({ ...bindings, ...more }),
  };
}

let cached: { app: ReturnType<typeof createApp> } | undefined;

function build(env: EdgeEnv) {
  const vars = Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => typeof e[1] === "string"),
  );
  if (env.HYPERDRIVE) vars.DATABASE_URL = env.HYPERDRIVE.connectionString;
  const config = parseConfig(vars);
  if (!config.DATABASE_URL) throw new Error("DATABASE_URL (or a HYPERDRIVE binding) is required on the edge");
  const database = openPostgres({ url: config.DATABASE_URL, poolMax: 1 });
  const embedder = createOfflineEmbedder({ dimension: config.EMBEDDING_DIMENSION });
  const deps: AppDeps = {
    config,
    database,
    logger: consoleLogger({ service: "ai-hub-edge" }),
    readiness: [{ name: "database", check: () => database.ping() }],
    lifecycle: { draining: false },
    embedder,
    // Chat on the edge is the offline model; configured providers are served by the Node entry.
    models: offlineModelRegistry(),
  };
  if (config.QDRANT_URL) {
    const client = new QdrantClient({
      url: config.QDRANT_URL,
      apiKey: config.QDRANT_API_KEY,
      checkCompatibility: false,
    });
    const vectors = new QdrantIndex({
      client,
      collection: collectionNameFor(embedder.id),
      dimension: embedder.dimension,
    });
    deps.vectors = vectors;
    deps.readiness.push({ name: "vectors", check: () => vectors.ping() });
  }
  return { app: createApp(deps) };
}

export default {
  fetch(request: Request, env: EdgeEnv, ctx: unknown) {
    cached ??= build(env);
    return cached.app.fetch(request, env, ctx as never);
  },
};
