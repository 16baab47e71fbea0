/**
 * Console benchmark: a production build of src/console served by the API (in-process, embedded
 * profile, on loopback) and loaded in headless Debian Chromium.
 *   1. First page (knowledge bases, signed in) and the sign-in page, each in a fresh browser context
 *      (empty cache), five times: JavaScript + CSS bytes transferred (gzip, as the API serves them,
 *      from Resource Timing) and the time from navigation start until real content is on screen
 *      (the page's heading and its table or empty-state drawn from API data).
 *   2. A knowledge base with 10,000 documents (rows written straight into the database; ingestion is
 *      not what is measured): time from navigation start until the documents page shows its first
 *      50 rows, the next page after a click, and the list API's latency on the first and a deep page.
 * Writes test/bench/results/console.json and console.md.
 */
// First: stops on a Node too old to run the rest (see node-check.ts).
import "../../src/node-check.js";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import type { Browser, BrowserContext } from "playwright-core";
import { createApp } from "../../src/app.js";
import { parseConfig } from "../../src/config.js";
import { documents, documentVersions } from "../../src/db/schema.js";
import { newId } from "../../src/ids.js";
import { createLogger } from "../../src/logger.js";
import { composeRuntime } from "../../src/runtime/compose.js";
import { ensurePlatformKey } from "../../src/services/tenants/bootstrap.js";
import { launchChromium } from "../helpers/browser.js";
import { buildConsole } from "../helpers/console.js";
import { pct } from "./stats.js";

const median = (v: number[]) => pct(v, 50);

const ROOT = join(import.meta.dirname, "../..");
const ADMIN = "bench_platform_admin_key_0123456789";
const RUNS = 5;
const DOCS = 10_000;

/** Records when the page first shows real content: the heading plus a table or an empty state. */
const FIRST_CONTENT = `
  new MutationObserver((_, obs) => {
    const main = document.querySelector("main");
    if (main && main.querySelector("h1") && main.querySelector("table tbody tr, .empty, form input")) {
      window.__firstContent = performance.now();
      obs.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
`;

async function main() {
  const tmp = mkdtempSync(join(tmpdir(), "bench-console-"));
  const consoleDir = join(tmp, "console");
  let t = performance.now();
  await buildConsole(consoleDir);
  const buildMs = performance.now() - t;

  const config = parseConfig({
    DATA_DIR: join(tmp, "data"),
    LOG_LEVEL: "warn",
    ADMIN_API_KEY: ADMIN,
    CONSOLE_DIR: consoleDir,
    RATE_LIMIT_PER_MINUTE: "0",
  });
  const runtime = await composeRuntime(config, createLogger(config));
  await ensurePlatformKey(runtime.deps.database.db, ADMIN);
  const app = createApp(runtime.deps);
  const server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 });
  await new Promise((r) => server.once("listening", r));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const call = async (key: string, method: string, path: string, body?: unknown) => {
    const init = {
      method,
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: body ? JSON.stringify(body) : undefined,
    };
    // A kept-alive socket the server closed at the same moment resets once; the request never arrived.
    const res = await fetch(`${base}${path}`, init).catch(() => fetch(`${base}${path}`, init));
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<any>;
  };
  const tenant = await call(ADMIN, "POST", "/v1/tenants", { name: "Bench" });
  const key: string = tenant.key.key;
  const tenantId: string = tenant.tenant.id;
  await call(key, "POST", "/v1/knowledge-bases", { name: "Manuals" });
  const big = await call(key, "POST", "/v1/knowledge-bases", { name: "Archive (10,000 documents)" });

  t = performance.now();
  const db = runtime.deps.database.db;
  for (let start = 0; start < DOCS; start += 500) {
    const docs = [];
    const versions = [];
    for (let i = start; i < Math.min(DOCS, start + 500); i++) {
      const id = newId("doc");
      const ver = newId("ver");
      const failed = i % 50 === 49;
      docs.push({
        id,
        tenantId,
        kbId: big.id,
        title: `Report ${i + 1}`,
        filename: `report-${i + 1}.pdf`,
        activeVersionId: failed ? null : ver,
        latestVersionId: ver,
      });
      versions.push({
        id: ver,
        documentId: id,
        tenantId,
        kbId: big.id,
        sha256: `${i}`.padStart(64, "0"),
        format: "pdf",
        sizeBytes: 100_000 + i,
        blobKey: `${tenantId}/${ver}`,
        status: failed ? "failed" : "ready",
        errorCode: failed ? "no_text" : null,
        errorMessage: failed ? "No text layer." : null,
        pages: 12,
        pagesParsed: 12,
        chunks: failed ? null : 30,
        chunksEmbedded: failed ? 0 : 30,
        chunksIndexed: failed ? 0 : 30,
        attempts: 1,
        finishedAt: new Date(),
      });
    }
    await db.insert(documents).values(docs);
    await db.insert(documentVersions).values(versions);
  }
  const seedMs = performance.now() - t;

  const apiTimes = async (path: string) => {
    const ms: number[] = [];
    for (let i = 0; i < 20; i++) {
      const s = performance.now();
      await call(key, "GET", path);
      ms.push(performance.now() - s);
    }
    return { p50: median(ms), p99: pct(ms, 99) };
  };
  let cursor: string | null = null;
  for (let i = 0; i < 100; i++) {
    const q: string = `/v1/knowledge-bases/${big.id}/documents?limit=50${cursor ? `&cursor=${cursor}` : ""}`;
    cursor = (await call(key, "GET", q)).next_cursor;
  }
  const listFirst = await apiTimes(`/v1/knowledge-bases/${big.id}/documents?limit=50`);
  const listDeep = await apiTimes(`/v1/knowledge-bases/${big.id}/documents?limit=50&cursor=${cursor}`);

  const browser: Browser = await launchChromium();
  const session = `localStorage.setItem("aihub.console.sessions", JSON.stringify([{ label: "Bench", key: ${JSON.stringify(key)}, kind: "api_key" }]));`;
  const newContext = async (signedIn: boolean): Promise<BrowserContext> => {
    const context = await browser.newContext({ locale: "en", viewport: { width: 1280, height: 900 } });
    if (signedIn) await context.addInitScript(session);
    await context.addInitScript(FIRST_CONTENT);
    return context;
  };
  const load = async (signedIn: boolean, path: string, waitFor: string) => {
    const context = await newContext(signedIn);
    const page = await context.newPage();
    await page.goto(`${base}${path}`);
    await page.waitForSelector(waitFor);
    await page.waitForFunction(() => (window as any).__firstContent !== undefined);
    const r = await page.evaluate(() => {
      const entries = performance.getEntriesByType("resource") as PerformanceResourceTiming[];
      const jsCss = entries.filter((e) => /\.(js|css)(\?|$)/.test(e.name));
      return {
        firstContentMs: (window as any).__firstContent as number,
        jsCssTransferred: jsCss.reduce((s, e) => s + e.transferSize, 0),
        jsCssEncoded: jsCss.reduce((s, e) => s + e.encodedBodySize, 0),
        jsCssDecoded: jsCss.reduce((s, e) => s + e.decodedBodySize, 0),
        files: jsCss.map((e) => e.name.replace(/^.*\/assets\//, "")),
      };
    });
    return { r, page, context };
  };
  const series = async (signedIn: boolean, path: string, waitFor: string) => {
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      const { r, context } = await load(signedIn, path, waitFor);
      runs.push(r);
      await context.close();
    }
    return {
      firstContentMs: {
        median: median(runs.map((r) => r.firstContentMs)),
        runs: runs.map((r) => Math.round(r.firstContentMs)),
      },
      jsCssTransferredBytes: runs[0]!.jsCssTransferred,
      jsCssGzipBodyBytes: runs[0]!.jsCssEncoded,
      jsCssUncompressedBytes: runs[0]!.jsCssDecoded,
      files: runs[0]!.files,
    };
  };
  // One warm-up load so the server's first-request costs (reading and gzipping the build) are not timed.
  await (await load(true, "/knowledge-bases", "main h1")).context.close();
  const firstPage = await series(true, "/knowledge-bases", "main table tbody tr");
  const signInPage = await series(false, "/", "form input");

  const docsRuns = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await newContext(true);
    const page = await context.newPage();
    await page.goto(`${base}/knowledge-bases/${big.id}/documents`);
    await page.waitForFunction(
      () => document.querySelectorAll("[data-testid=documents-table] tbody tr").length === 50,
    );
    const rendered = await page.evaluate(() => performance.now());
    const firstRow = await page.evaluate(
      () => document.querySelector("[data-testid=documents-table] tbody tr")?.textContent,
    );
    const s = performance.now();
    await page.getByRole("button", { name: "Next" }).click();
    await page.waitForFunction((before) => {
      const rows = document.querySelectorAll("[data-testid=documents-table] tbody tr");
      return rows.length === 50 && rows[0]?.textContent !== before;
    }, firstRow);
    const nextMs = performance.now() - s;
    docsRuns.push({ firstRowsMs: rendered, nextPageMs: nextMs });
    await context.close();
  }
  await browser.close();

  const result = {
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      model: cpus()[0]?.model,
      loadavg: loadavg().map((l) => Math.round(l * 100) / 100),
      node: process.version,
    },
    build: { ms: Math.round(buildMs) },
    firstPage,
    signInPage,
    documents10k: {
      documents: DOCS,
      seedMs: Math.round(seedMs),
      firstRowsMs: {
        median: median(docsRuns.map((r) => r.firstRowsMs)),
        runs: docsRuns.map((r) => Math.round(r.firstRowsMs)),
      },
      nextPageMs: {
        median: median(docsRuns.map((r) => r.nextPageMs)),
        runs: docsRuns.map((r) => Math.round(r.nextPageMs)),
      },
      listApiFirstPageMs: listFirst,
      listApiPage101Ms: listDeep,
    },
  };
  const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;
  const md = [
    "# Console benchmark",
    "",
    `${result.date}; ${result.machine.cpus} × ${result.machine.model}; load average ${result.machine.loadavg.join(" / ")}; Node ${result.machine.node}; headless Debian Chromium on loopback. Median of ${RUNS} cold loads (fresh browser context each).`,
    "",
    "| What | Result | Target |",
    "|---|---|---|",
    `| First page (knowledge bases, signed in): JS + CSS transferred | **${kb(firstPage.jsCssTransferredBytes)}** (gzip bodies ${kb(firstPage.jsCssGzipBodyBytes)}, ${kb(firstPage.jsCssUncompressedBytes)} uncompressed, ${firstPage.files.length} files) | ≤ 250 KB |`,
    `| First page: navigation start → first real content | **${Math.round(firstPage.firstContentMs.median)} ms** (runs ${firstPage.firstContentMs.runs.join(", ")}) | ≤ 1,500 ms |`,
    `| Sign-in page: JS + CSS transferred / first content | ${kb(signInPage.jsCssTransferredBytes)} / ${Math.round(signInPage.firstContentMs.median)} ms | |`,
    `| Documents page, knowledge base with ${DOCS.toLocaleString("en")} documents: navigation start → first 50 rows | **${Math.round(result.documents10k.firstRowsMs.median)} ms** (runs ${result.documents10k.firstRowsMs.runs.join(", ")}) | |`,
    `| Same, "Next" → the next 50 rows | ${Math.round(result.documents10k.nextPageMs.median)} ms | |`,
    `| GET …/documents?limit=50, first page / page 101 (p50, p99) | ${listFirst.p50.toFixed(1)} / ${listFirst.p99.toFixed(1)} ms; ${listDeep.p50.toFixed(1)} / ${listDeep.p99.toFixed(1)} ms | |`,
    "",
    `Build (vite, production): ${(buildMs / 1000).toFixed(1)} s. First page files: ${firstPage.files.join(", ")}.`,
    "",
  ].join("\n");
  writeFileSync(join(ROOT, "test/bench/results/console.json"), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(join(ROOT, "test/bench/results/console.md"), md);
  console.log(md);
  server.close();
  await runtime.close();
  rmSync(tmp, { recursive: true, force: true });
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
