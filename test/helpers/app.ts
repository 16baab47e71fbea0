import { createApp } from "../../src/app.js";
import { parseConfig } from "../../src/config.js";
import type { AppDeps } from "../../src/context.js";
import type { Database } from "../../src/db/client.js";
import { createLogger } from "../../src/logger.js";
import { createHttpMetrics } from "../../src/metrics.js";
import { offlineModelRegistry } from "../../src/models/registry.js";
import { ensurePlatformKey } from "../../src/services/tenants/bootstrap.js";

export const PLATFORM_KEY = "test_platform_admin_key_0123456789";

export interface TestApp {
  app: ReturnType<typeof createApp>;
  deps: AppDeps;
  call(
    method: string,
    path: string,
    opts?: { key?: string | null; body?: unknown; headers?: Record<string, string> },
  ): Promise<{
    status: number;
    body: any;
    headers: Headers;
  }>;
  /** Creates a tenant through the API and returns its id and admin key. */
  newTenant(name?: string): Promise<{ tenantId: string; adminKey: string }>;
  /** Creates a key with the given scopes for a tenant (through the API). */
  newKey(
    adminKey: string,
    scopes: string[],
    extra?: Record<string, unknown>,
  ): Promise<{ id: string; key: string }>;
}

export async function createTestApp(
  database: Database,
  overrides: Partial<AppDeps> = {},
  env: Record<string, string> = {},
): Promise<TestApp> {
  const config = parseConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", ADMIN_API_KEY: PLATFORM_KEY, ...env });
  await ensurePlatformKey(database.db, PLATFORM_KEY);
  const deps: AppDeps = {
    config,
    database,
    logger: createLogger(config),
    metrics: createHttpMetrics(),
    readiness: [{ name: "database", check: () => database.ping() }],
    models: offlineModelRegistry(),
    lifecycle: { draining: false },
    ...overrides,
  };
  const app = createApp(deps);
  const call: TestApp["call"] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    const key = opts.key === undefined ? PLATFORM_KEY : opts.key;
    if (key) headers.authorization = `Bearer ${key}`;
    let body: BodyInit | undefined;
    if (opts.body !== undefined) {
      body = typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body);
      headers["content-type"] ??= "application/json";
    }
    const res = await app.request(path, { method, headers, body });
    return { status: res.status, body: await responseBody(res), headers: res.headers };
  };
  return {
    app,
    deps,
    call,
    async newTenant(name = "Acme") {
      const r = await call("POST", "/v1/tenants", { body: { name } });
      if (r.status !== 201) throw new Error(`tenant create failed: ${r.status} ${JSON.stringify(r.body)}`);
      return { tenantId: r.body.tenant.id, adminKey: r.body.key.key };
    },
    async newKey(adminKey, scopes, extra = {}) {
      const r = await call("POST", "/v1/keys", {
        key: adminKey,
        body: { name: `k-${scopes.join("-")}`, scopes, ...extra },
      });
      if (r.status !== 201) throw new Error(`key create failed: ${r.status} ${JSON.stringify(r.body)}`);
      return { id: r.body.id, key: r.body.key };
    },
  };
}

/** A response body as JSON when it parses, else as text (SSE streams, CSV, plain errors). */
export async function responseBody(res: Response): Promise<unknown> {
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
