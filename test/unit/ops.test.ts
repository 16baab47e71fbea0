import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../src/config.js";
import { API_VERSION } from "../../src/version.js";
import { createTestApp, type TestApp } from "../helpers/app.js";
import { openTestDatabase } from "../helpers/database.js";

describe("config", () => {
  it("applies documented defaults", () => {
    const c = parseConfig({});
    expect(c.PORT).toBe(8080);
    expect(c.DATA_DIR).toBe("./data");
    expect(c.MAX_UPLOAD_MB).toBe(50);
    expect(c.DATABASE_URL).toBeUndefined();
  });
  it("names the variable and what is allowed", () => {
    expect(() => parseConfig({ PORT: "eighty" })).toThrow(ConfigError);
    expect(() => parseConfig({ PORT: "eighty" })).toThrow(/PORT="eighty"/);
    expect(() => parseConfig({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL.*postgres/);
    expect(() => parseConfig({ LOG_LEVEL: "loud" })).toThrow(/LOG_LEVEL/);
  });
  it("treats empty strings as unset", () => {
    expect(parseConfig({ REDIS_URL: "" }).REDIS_URL).toBeUndefined();
  });
});

describe("ops endpoints and OpenAPI", () => {
  let t: TestApp;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    const db = await openTestDatabase("pglite");
    cleanup = db.cleanup;
    t = await createTestApp(db);
  });
  afterAll(async () => cleanup?.());

  it("serves /healthz and /readyz", async () => {
    expect((await t.call("GET", "/healthz", { key: null })).body).toEqual({ status: "ok" });
    const ready = await t.call("GET", "/readyz", { key: null });
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ database: "up" });
  });

  it("names what is down in /readyz", async () => {
    t.deps.readiness.push({ name: "redis", check: async () => false });
    const r = await t.call("GET", "/readyz", { key: null });
    t.deps.readiness.pop();
    expect(r.status).toBe(503);
    expect(r.body.checks.redis).toBe("down");
    expect(r.body.detail).toMatch(/redis/);
  });

  it("turns /readyz to 503 while draining", async () => {
    t.deps.lifecycle.draining = true;
    const r = await t.call("GET", "/readyz", { key: null });
    t.deps.lifecycle.draining = false;
    expect(r.status).toBe(503);
    expect(r.body.detail).toMatch(/shutting down/);
  });

  it("exposes Prometheus metrics", async () => {
    await t.call("GET", "/healthz", { key: null });
    const r = await t.call("GET", "/metrics", { key: null });
    expect(r.status).toBe(200);
    expect(r.body).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\}/,
    );
    expect(r.body).toMatch(/process_resident_memory_bytes/);
  });

  it("generates an OpenAPI 3.1 document from the route schemas", async () => {
    const r = await t.call("GET", "/openapi.json", { key: null });
    expect(r.status).toBe(200);
    expect(r.body.openapi).toBe("3.1.0");
    for (const p of [
      "/v1/tenants",
      "/v1/keys",
      "/v1/keys/{id}",
      "/v1/knowledge-bases",
      "/v1/knowledge-bases/{id}",
      "/v1/audit",
    ]) {
      expect(r.body.paths[p], p).toBeDefined();
    }
    expect(r.body.components.schemas.Problem).toBeDefined();
    expect(r.body.components.securitySchemes.bearerAuth.scheme).toBe("bearer");
    const docs = await t.app.request("/docs");
    expect(docs.status).toBe(200);
    const html = await docs.text();
    expect(html).toMatch(/openapi\.json/);
    // Everything the page loads comes from this server: no CDN, no web fonts.
    expect(html).toContain('<script src="/docs/scalar.js">');
    expect(html).not.toMatch(/https?:\/\//);
    const script = await t.app.request("/docs/scalar.js", { headers: { "accept-encoding": "gzip" } });
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toMatch(/javascript/);
    expect(script.headers.get("content-encoding")).toBe("gzip");
    expect((await script.arrayBuffer()).byteLength).toBeGreaterThan(100_000);
  });

  it("answers / with a page for people: name, version and links", async () => {
    const home = await t.app.request("/");
    expect(home.status).toBe(200);
    expect(home.headers.get("content-type")).toMatch(/text\/html/);
    const html = await home.text();
    expect(html).toContain("<h1>AI Hub</h1>");
    expect(html).toContain(`version ${API_VERSION}`);
    for (const href of ["/docs", "/openapi.json", "/healthz"]) expect(html).toContain(`href="${href}"`);
  });

  it("echoes a caller's request id and generates one otherwise", async () => {
    const r = await t.call("GET", "/v1/keys", { key: null, headers: { "x-request-id": "abc-123" } });
    expect(r.headers.get("x-request-id")).toBe("abc-123");
    expect(r.body.requestId).toBe("abc-123");
    const g = await t.call("GET", "/healthz", { key: null });
    expect(g.headers.get("x-request-id")).toMatch(/^req_/);
  });
});
