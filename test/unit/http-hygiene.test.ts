import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { parseConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { offlineModelRegistry } from "../../src/models/registry.js";
import { openTestDatabase } from "../helpers/database.js";

/** Security headers on every response, and CORS on /v1 only for the configured origins. */
async function appWith(env: Record<string, string> = {}) {
  const database = await openTestDatabase("pglite");
  const config = parseConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", ...env });
  const app = createApp({
    config,
    database,
    logger: createLogger(config),
    readiness: [],
    models: offlineModelRegistry(),
    lifecycle: { draining: false },
    widget: { js: "/* widget */" },
  });
  return { app, close: () => database.cleanup() };
}

describe("security headers", () => {
  it("are on every response: pages, JSON, errors and 404s", async () => {
    const { app, close } = await appWith();
    try {
      for (const [path, status] of [
        ["/healthz", 200],
        ["/openapi.json", 200],
        ["/v1/knowledge-bases", 401],
        ["/nowhere", 404],
      ] as const) {
        const res = await app.request(path);
        expect(res.status, path).toBe(status);
        const csp = res.headers.get("content-security-policy") ?? "";
        expect(csp, path).toContain("default-src 'self'");
        expect(csp, path).toContain("script-src 'self';");
        expect(csp, path).toContain("frame-ancestors 'none'");
        expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
        expect(res.headers.get("x-frame-options"), path).toBe("DENY");
        expect(res.headers.get("strict-transport-security"), path).toMatch(/max-age=\d+/);
        expect(res.headers.get("referrer-policy"), path).toBe("strict-origin-when-cross-origin");
        expect(res.headers.get("cross-origin-resource-policy"), path).toBe("same-origin");
      }
      // /docs runs Scalar's inline configuration; the widget bundle is loaded by other sites.
      const docs = await app.request("/docs");
      expect(docs.headers.get("content-security-policy")).toContain("script-src 'self' 'unsafe-inline'");
      const widget = await app.request("/widget.js");
      expect(widget.status).toBe(200);
      expect(widget.headers.get("cross-origin-resource-policy")).toBe("cross-origin");
    } finally {
      await close();
    }
  });
});

describe("CORS on /v1", () => {
  const preflight = (app: Awaited<ReturnType<typeof appWith>>["app"], origin: string) =>
    app.request("/v1/knowledge-bases", {
      method: "OPTIONS",
      headers: {
        origin,
        "access-control-request-method": "GET",
        "access-control-request-headers": "authorization",
      },
    });

  it("answers no origin by default: API keys are for servers", async () => {
    const { app, close } = await appWith();
    try {
      const pre = await preflight(app, "https://evil.example");
      expect(pre.headers.get("access-control-allow-origin")).toBeNull();
      const get = await app.request("/v1/knowledge-bases", { headers: { origin: "https://evil.example" } });
      expect(get.headers.get("access-control-allow-origin")).toBeNull();
    } finally {
      await close();
    }
  });

  it("names each CORS_ORIGINS origin, and only those; never * and never credentials", async () => {
    const { app, close } = await appWith({ CORS_ORIGINS: "https://app.example.com, http://localhost:5173/" });
    try {
      for (const origin of ["https://app.example.com", "http://localhost:5173"]) {
        const pre = await preflight(app, origin);
        expect(pre.status).toBe(204);
        expect(pre.headers.get("access-control-allow-origin")).toBe(origin);
        expect(pre.headers.get("access-control-allow-headers")).toContain("authorization");
        expect(pre.headers.get("access-control-allow-credentials")).toBeNull();
        const get = await app.request("/v1/knowledge-bases", { headers: { origin } });
        expect(get.status).toBe(401);
        expect(get.headers.get("access-control-allow-origin")).toBe(origin);
      }
      const other = await preflight(app, "https://app.example.com.evil.example");
      expect(other.headers.get("access-control-allow-origin")).toBeNull();
    } finally {
      await close();
    }
  });

  it("refuses a malformed CORS_ORIGINS at start, by name", () => {
    expect(() => parseConfig({ CORS_ORIGINS: "*" })).toThrow(/CORS_ORIGINS/);
    expect(() => parseConfig({ CORS_ORIGINS: "https://a.example/path" })).toThrow(/CORS_ORIGINS/);
  });
});
