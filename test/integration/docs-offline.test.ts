import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../helpers/app.js";
import { launchChromium } from "../helpers/browser.js";
import { openTestDatabase } from "../helpers/database.js";

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** The API reference and the home page in real Chromium, with every non-loopback request refused. */
describe("/docs and / in a browser without a network", () => {
  let t: TestApp;
  let cleanup: () => Promise<void>;
  let server: ReturnType<typeof serve>;
  let base: string;
  let browser: Browser;

  beforeAll(async () => {
    const db = await openTestDatabase("pglite");
    cleanup = db.cleanup;
    t = await createTestApp(db);
    server = serve({ fetch: t.app.fetch, hostname: "127.0.0.1", port: 0 });
    await new Promise<void>((resolve) => server.once("listening", () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    // Starting a database and a browser on a shared 2-core machine can take longer than the default.
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await cleanup?.();
  });

  async function offlinePage() {
    const page = await browser.newPage();
    const blocked: string[] = [];
    await page.route("**/*", (route) => {
      const url = new URL(route.request().url());
      if (url.protocol === "data:" || url.protocol === "blob:" || LOOPBACK.has(url.hostname)) {
        return route.continue();
      }
      blocked.push(url.href);
      return route.abort("internetdisconnected");
    });
    return { page, blocked };
  }

  it("renders the reference with the operations listed, from this server alone", async () => {
    const { page, blocked } = await offlinePage();
    const loaded: string[] = [];
    page.on("requestfinished", (r) => loaded.push(r.url()));
    await page.goto(`${base}/docs`);
    const spec = (await t.call("GET", "/openapi.json", { key: null })).body;
    const summaries = Object.values(spec.paths).flatMap((ops: any) =>
      Object.values(ops).map((op: any) => op.summary as string),
    );
    expect(summaries.length).toBeGreaterThan(30);
    // Scalar lists every operation by its summary in the sidebar (all groups open, see docs.ts).
    // Polled from here: a function sent to the page would carry the test transform's helpers along.
    let missing = summaries;
    for (const deadline = Date.now() + 45_000; missing.length > 0 && Date.now() < deadline; ) {
      // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what a reader sees
      // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what a reader sees
      const text = await page.locator("body").innerText();
      missing = summaries.filter((s) => !text.includes(s));
      if (missing.length > 0) await page.waitForTimeout(250);
    }
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is what a reader sees
    const text = await page.locator("body").innerText();
    expect(missing, `${summaries.length - missing.length} of ${summaries.length} listed`).toEqual([]);
    expect(text).toContain("Download a document's original file (any scope)");
    expect(loaded.some((u) => u.endsWith("/docs/scalar.js"))).toBe(true);
    expect(loaded.some((u) => u.endsWith("/openapi.json"))).toBe(true);
    // Nothing it needed came from elsewhere; anything it tried is listed here for whoever reads a failure.
    expect(loaded.every((u) => u.startsWith(base) || /^(data|blob):/.test(u))).toBe(true);
    expect(blocked).toEqual([]);
    await page.close();
  });

  it("serves a home page with the version and working links", async () => {
    const { page } = await offlinePage();
    const res = await page.goto(`${base}/`);
    expect(res?.status()).toBe(200);
    await expect(page.title()).resolves.toMatch(/^AI Hub \d+\.\d+\.\d+$/);
    for (const [name, path] of [
      ["API reference", "/docs"],
      ["OpenAPI document", "/openapi.json"],
      ["Health", "/healthz"],
    ]) {
      const link = page.getByRole("link", { name });
      expect(await link.getAttribute("href")).toBe(path);
      const target = await fetch(`${base}${path}`);
      expect(target.status, path).toBe(200);
    }
    await page.close();
  });
});
