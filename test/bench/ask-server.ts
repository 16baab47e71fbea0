/**
 * The API process for bench:ask, composed exactly like `npm start` in the embedded profile (PGlite,
 * in-process vector engine, offline embedder, models from PROVIDERS_JSON/MODELS_JSON), then seeded with
 * BENCH_CHUNKS synthetic chunks over BENCH_TENANTS tenants, upserted straight through the adapter.
 * Prints one line "READY <json>" with the URL and the bench tenants' keys; SIGTERM closes it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { createApp } from "../../src/app.js";
import { parseConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { composeRuntime } from "../../src/runtime/compose.js";
import { ensurePlatformKey } from "../../src/services/tenants/bootstrap.js";
import { installH2Fetch } from "./h2-fetch.js";
import { seedTenant, syntheticTexts } from "./ask-seed.js";

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
    PROVIDERS_JSON: JSON.stringify([{ id: "stub", baseURL: `${STUB_URL}/v1`, apiKey: "sk-bench" }]),
    MODELS_JSON: JSON.stringify([
      { id: "bench-ttft", provider: "stub", price: { input: 1, output: 2 } },
      { id: "bench-hold", provider: "stub", price: { input: 1, output: 2 } },
    ]),
  });
  const runtime = await composeRuntime(config, createLogger(config));
  await ensurePlatformKey(runtime.deps.database.db, ADMIN);
  const app = createApp(runtime.deps);

  const perTenant = Math.floor(CHUNKS / TENANTS);
  const texts = syntheticTexts(perTenant);
  const started = performance.now();
  const latency = await seedTenant(app, runtime.deps, ADMIN, "latency", texts, null);
  const streams = await seedTenant(app, runtime.deps, ADMIN, "streams", texts, latency.vectors);
  // The other tenants only need their points in the collection: every query must filter them out.
  for (let t = 2; t < TENANTS; t++) await seedTenant(app, runtime.deps, null, `other-${t}`, texts, latency.vectors);
  const seedMs = Math.round(performance.now() - started);

  const server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 });
  server.on("listening", () => {
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : 0;
    const ready = {
      url: `http://127.0.0.1:${port}`,
      chunks: perTenant * TENANTS,
      tenants: TENANTS,
      seed_ms: seedMs,
      latency: { key: latency.key, kbId: latency.kbId },
      streams: { key: streams.key, kbId: streams.kbId },
    };
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
