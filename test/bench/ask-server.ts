/**
 * The API process for bench:ask, composed like `npm start` (PGlite, offline embedder, models from
 * PROVIDERS_JSON/MODELS_JSON; vectors at QDRANT_URL, the engine process the bench started). Creates the
 * two bench tenants with their knowledge base and document rows (the bench indexes their chunks) and
 * prints one line "READY <json>"; SIGTERM closes it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeHeapSnapshot } from "node:v8";
import { serve } from "@hono/node-server";
import { createApp } from "../../src/app.js";
import { parseConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { composeRuntime } from "../../src/runtime/compose.js";
import { ensurePlatformKey } from "../../src/services/tenants/bootstrap.js";
import { CHUNKS_PER_DOC, createBenchTenant } from "./ask-seed.js";
import { installH2Fetch } from "./h2-fetch.js";

const CHUNKS = Number(process.env.BENCH_CHUNKS ?? 100_000);
const TENANTS = Number(process.env.BENCH_TENANTS ?? 20);
const STUB_URL = process.env.BENCH_STUB_URL!;
const ADMIN = "bench_platform_admin_key_0123456789";

async function main() {
  installH2Fetch(new URL(STUB_URL).origin);
  const dataDir = mkdtempSync(join(tmpdir(), "ask-bench-"));
  const config = parseConfig({
    NODE_ENV: "production",
    LOG_LEVEL: "silent",
    DATA_DIR: dataDir,
    ADMIN_API_KEY: ADMIN,
    RATE_LIMIT_PER_MINUTE: "0",
    QDRANT_URL: process.env.QDRANT_URL,
    PROVIDERS_JSON: JSON.stringify([{ id: "stub", baseURL: `${STUB_URL}/v1`, apiKey: "sk-bench" }]),
    MODELS_JSON: JSON.stringify([
      { id: "bench-ttft", provider: "stub", price: { input: 1, output: 2 } },
      { id: "bench-hold", provider: "stub", price: { input: 1, output: 2 } },
    ]),
  });
  const runtime = await composeRuntime(config, createLogger(config));
  await ensurePlatformKey(runtime.deps.database.db, ADMIN);
  const app = createApp(runtime.deps);

  const docCount = Math.ceil(Math.floor(CHUNKS / TENANTS) / CHUNKS_PER_DOC);
  const latency = await createBenchTenant(app, runtime.deps, ADMIN, "latency", docCount);
  const streams = await createBenchTenant(app, runtime.deps, ADMIN, "streams", docCount);

  // Bench-only probes, answered before the app: the API process's memory as the streams pile up, and a
  // heap snapshot on request (BENCH_HEAP_SNAPSHOT) to see what each open stream keeps.
  const fetch = (req: Request) => {
    const path = new URL(req.url).pathname;
    if (path === "/__bench/memory") return Response.json(process.memoryUsage());
    if (path === "/__bench/heap-snapshot")
      return Response.json({
        path: writeHeapSnapshot(join(tmpdir(), `ask-bench-${process.pid}.heapsnapshot`)),
      });
    return app.fetch(req);
  };
  const server = serve({ fetch, hostname: "127.0.0.1", port: 0 });
  server.on("listening", () => {
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : 0;
    const ready = { url: `http://127.0.0.1:${port}`, latency, streams };
    process.stdout.write(`READY ${JSON.stringify(ready)}\n`);
  });
  process.on("SIGTERM", () => {
    server.close();
    (server as unknown as { closeAllConnections(): void }).closeAllConnections();
    runtime
      .close()
      .finally(() => rmSync(dataDir, { recursive: true, force: true }))
      .finally(() => process.exit(0));
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
