/**
 * The app's OpenAPI document exactly as GET /openapi.json serves it, built in-process (no database, no
 * network: createApp does no I/O). The SDK's type generator reads it (npm run console:api), and the
 * console takes its API types from the SDK's generated file, so one generated file serves both.
 */
import { createApp } from "../app.js";
import { parseConfig } from "../config.js";
import type { AppDeps } from "../context.js";
import type { Database } from "../db/client.js";
import { createLogger } from "../logger.js";
import { offlineModelRegistry } from "../models/registry.js";

/** The OpenAPI document exactly as GET /openapi.json serves it. */
export async function appOpenApiDocument(): Promise<Record<string, unknown>> {
  const config = parseConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" });
  const deps: AppDeps = {
    config,
    database: undefined as unknown as Database,
    logger: createLogger(config),
    readiness: [],
    models: offlineModelRegistry(),
    lifecycle: { draining: false },
  };
  const res = await createApp(deps).request("/openapi.json");
  if (res.status !== 200) throw new Error(`/openapi.json answered ${res.status}`);
  return (await res.json()) as Record<string, unknown>;
}
