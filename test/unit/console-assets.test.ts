import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { parseConfig } from "../../src/config.js";
import type { AppDeps } from "../../src/context.js";
import type { Database } from "../../src/db/client.js";
import { createLogger } from "../../src/logger.js";
import { offlineModelRegistry } from "../../src/models/registry.js";
import { consoleAssetsFromDir } from "../../src/runtime/console-assets.js";

/** How the API serves the built console at `/` (no database is touched by these routes). */
describe("console assets at /", () => {
  const dir = mkdtempSync(join(tmpdir(), "console-assets-"));
  mkdirSync(join(dir, "assets"));
  writeFileSync(join(dir, "index.html"), '<!doctype html><script src="/assets/index-abc123.js"></script>');
  writeFileSync(join(dir, "assets/index-abc123.js"), `console.log(${JSON.stringify("x".repeat(5000))});`);
  writeFileSync(join(tmpdir(), "outside.txt"), "secret");
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const config = parseConfig({ NODE_ENV: "test", LOG_LEVEL: "silent" });
  const deps = (consoleAssets: AppDeps["consoleAssets"]): AppDeps => ({
    config,
    database: undefined as unknown as Database,
    logger: createLogger(config),
    readiness: [],
    models: offlineModelRegistry(),
    lifecycle: { draining: false },
    consoleAssets,
  });
  const app = createApp(deps(consoleAssetsFromDir(dir)));
  const html = { accept: "text/html,application/xhtml+xml", "accept-encoding": "gzip, br" };

  it("serves the page uncached and hashed files for a year, gzipped when asked", async () => {
    const page = await app.request("/", { headers: html });
    expect(page.status).toBe(200);
    expect(page.headers.get("cache-control")).toBe("no-cache");
    expect(page.headers.get("content-encoding")).toBe("gzip");
    expect(gunzipSync(Buffer.from(await page.arrayBuffer())).toString()).toContain("/assets/index-abc123.js");

    const js = await app.request("/assets/index-abc123.js", { headers: { "accept-encoding": "gzip" } });
    expect(js.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(js.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect((await js.arrayBuffer()).byteLength).toBeLessThan(500);
    const plain = await app.request("/assets/index-abc123.js");
    expect(plain.headers.get("content-encoding")).toBeNull();
    expect((await plain.text()).length).toBeGreaterThan(5000);
  });

  it("answers console routes with the page, and leaves API paths and missing files to the JSON 404", async () => {
    const deep = await app.request("/knowledge-bases/kb_1/documents", { headers: html });
    expect(deep.status).toBe(200);
    expect(deep.headers.get("content-type")).toMatch(/^text\/html/);
    for (const path of ["/v1/nope", "/assets/missing-123.js", "/favicon.png", "/knowledge-bases"]) {
      const res = await app.request(path, { headers: path === "/knowledge-bases" ? {} : html });
      expect(res.status, path).toBe(path.startsWith("/v1/") ? 401 : 404);
      expect(res.headers.get("content-type"), path).toMatch(/json/);
    }
  });

  it("never serves files outside its folder", async () => {
    for (const path of ["/../outside.txt", "/%2e%2e/outside.txt", "/assets/..%2f..%2foutside.txt"]) {
      const res = await app.request(path, { headers: { accept: "*/*" } });
      expect(await res.text(), path).not.toContain("secret");
    }
  });

  it("is absent without a build (and on the edge): / is the small home page instead", async () => {
    expect(consoleAssetsFromDir(join(dir, "nothing-here"))).toBeUndefined();
    const res = await createApp(deps(undefined)).request("/", { headers: html });
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain("/docs");
    expect(body).not.toContain('id="root"');
  });
});
