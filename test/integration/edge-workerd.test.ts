import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TEST_DATABASE_URL } from "../helpers/database.js";

const run = promisify(execFile);

/** Bundles src/edge.ts exactly as `npm run build:edge` does and boots it in workerd (via Miniflare). */
describe("edge entry in workerd", () => {
  let mf: Miniflare;

  beforeAll(async () => {
    await run("npm", ["run", "build:edge"], { cwd: process.cwd(), env: { ...process.env, CI: "true" } });
    expect(existsSync(".wrangler/dist/edge.js")).toBe(true);
    mf = new Miniflare({
      scriptPath: ".wrangler/dist/edge.js",
      modules: true,
      compatibilityDate: "2025-09-01",
      compatibilityFlags: ["nodejs_compat"],
      bindings: { DATABASE_URL: TEST_DATABASE_URL, LOG_LEVEL: "silent" },
    });
    await mf.ready;
  }, 180_000);

  afterAll(async () => mf?.dispose());

  it("serves /healthz", async () => {
    const res = await mf.dispatchFetch("http://localhost/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });

  it("serves the OpenAPI document generated from the same routes", async () => {
    const res = await mf.dispatchFetch("http://localhost/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.paths["/v1/knowledge-bases"]).toBeDefined();
  });

  it("answers API calls with the one error body", async () => {
    const res = await mf.dispatchFetch("http://localhost/v1/knowledge-bases");
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: "unauthorized", status: 401 });
  });
});
