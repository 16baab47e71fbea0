import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../../src/app.js";
import { parseConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { composeRuntime, type Runtime } from "../../src/runtime/compose.js";
import { ensurePlatformKey } from "../../src/services/tenants/bootstrap.js";
import { responseBody } from "../helpers/app.js";

export interface ApiResponse {
  status: number;
  body: any;
}

/** The product as a client sees it: every call goes through the app's routes, auth and services. */
export interface ProductApi {
  call(
    method: string,
    path: string,
    opts?: { key?: string; body?: unknown; form?: FormData },
  ): Promise<ApiResponse>;
  platformKey: string;
  runtime: Runtime;
  close(): Promise<void>;
}

/**
 * Boots the embedded profile in-process on a fresh temp DATA_DIR (PGlite, the embedded vector engine,
 * in-process ingestion), exactly as `npm start` composes it. Rate limiting is off so a few thousand
 * eval queries are not throttled; request logging is off so it does not skew latencies.
 */
export async function startProduct(opts: { workerConcurrency?: number } = {}): Promise<ProductApi> {
  const dataDir = await mkdtemp(join(tmpdir(), "aihub-eval-"));
  const config = parseConfig({
    NODE_ENV: "production",
    DATA_DIR: dataDir,
    LOG_LEVEL: "warn",
    RATE_LIMIT_PER_MINUTE: "0",
    MAX_JSON_KB: "10240",
    WORKER_CONCURRENCY: String(opts.workerConcurrency ?? 2),
  });
  const logger = createLogger(config);
  let runtime: Runtime;
  try {
    runtime = await composeRuntime(config, logger, { role: "api" });
  } catch (err) {
    await rm(dataDir, { recursive: true, force: true });
    throw err;
  }
  const { created } = await ensurePlatformKey(runtime.deps.database.db);
  if (!created) throw new Error("eval: a fresh data directory should have no platform key yet");
  const app = createApp(runtime.deps);

  const call: ProductApi["call"] = async (method, path, o = {}) => {
    const headers: Record<string, string> = {};
    if (o.key) headers.authorization = `Bearer ${o.key}`;
    let body: BodyInit | undefined;
    if (o.form) body = o.form;
    else if (o.body !== undefined) {
      body = JSON.stringify(o.body);
      headers["content-type"] = "application/json";
    }
    const res = await app.request(path, { method, headers, body });
    return { status: res.status, body: await responseBody(res) };
  };

  return {
    call,
    platformKey: created,
    runtime,
    async close() {
      await runtime.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Throws with the API's own problem detail when a call did not return the expected status. */
export function expectStatus(res: ApiResponse, status: number, what: string): any {
  if (res.status !== status) {
    const detail = typeof res.body === "object" ? (res.body?.detail ?? JSON.stringify(res.body)) : res.body;
    throw new Error(`eval: ${what} returned ${res.status} (expected ${status}): ${detail}`);
  }
  return res.body;
}
