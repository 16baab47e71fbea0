// First: stops on a Node too old to run the rest (see node-check.ts).
import "./node-check.js";
import { loadConfigOrExit } from "./config.js";
import { createLogger } from "./logger.js";
import { composeRuntime } from "./runtime/compose.js";
import { stopOnSignals } from "./runtime/shutdown.js";

/**
 * `npm run worker`: a BullMQ consumer of the ingestion queue. Any number may run, on any machines,
 * as long as they share the database, the vector store and Redis with the API.
 */
const REQUIRED: [string, string][] = [
  [
    "DATABASE_URL",
    "the embedded database (PGlite) belongs to the API process; point workers and API at one PostgreSQL",
  ],
  [
    "QDRANT_URL",
    "the embedded vector engine lives inside the API process; run `npm run engine` or a Qdrant server and point both at it",
  ],
  ["REDIS_URL", "jobs travel through Redis (BullMQ)"],
];

async function main() {
  const config = loadConfigOrExit(process.env);
  const missing = REQUIRED.filter(([name]) => !config[name as keyof typeof config]);
  if (missing.length > 0) {
    console.error(
      [
        "The ingestion worker cannot start: a separate worker needs state it can share with the API.",
        ...missing.map(([name, why]) => `  ${name} is not set: ${why}.`),
        "Without them, run only `npm start`: the API then processes uploads itself.",
      ].join("\n"),
    );
    process.exit(2);
  }
  const logger = createLogger(config).child({ role: "worker" });
  const runtime = await composeRuntime(config, logger, { role: "worker" });
  logger.info(
    { concurrency: config.WORKER_CONCURRENCY, prefix: config.QUEUE_PREFIX },
    "ingest worker started",
  );
  // Test harnesses wait for this line before killing or loading the worker.
  process.stdout.write("ingest worker ready\n");

  stopOnSignals({
    logger,
    timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    messages: { stopping: "worker stopping: finishing running jobs", stopped: "worker stopped" },
    stop: () => runtime.close(),
    // Jobs still running at the deadline are left to BullMQ's stalled check on another worker.
    onTimeout() {
      logger.warn("shutdown timeout reached; exiting with jobs running (they will be retried)");
      process.exit(1);
    },
  });
}

main().catch((err) => {
  console.error("Ingest worker failed to start:", err instanceof Error ? err.message : err);
  process.exit(1);
});
