import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isEncrypted } from "../../src/blobs/encryption.js";
import { parseConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { composeRuntime, type Runtime } from "../../src/runtime/compose.js";
import { createTestApp, PLATFORM_KEY, type TestApp } from "../helpers/app.js";
import { fixture, tenantWithKb, upload, waitForTerminal } from "../helpers/ingest.js";
import { spawnTs } from "../helpers/process.js";
import { serveOverHttp } from "../helpers/serve.js";

/**
 * Backup while serving, restore into a fresh DATA_DIR, start there: the same search results, usage
 * totals and audit log. Tenant A is quiet during the backup and must come back exactly; tenant B
 * carries the search load and an upload still being processed, and must come back whole.
 */
const KEYS = `k1:${randomBytes(32).toString("base64")}`;
const envFor = (dataDir: string) => ({
  NODE_ENV: "test",
  LOG_LEVEL: "silent",
  DATA_DIR: dataDir,
  ADMIN_API_KEY: PLATFORM_KEY,
  RATE_LIMIT_PER_MINUTE: "0",
  BLOB_ENCRYPTION_KEYS: KEYS,
});

async function start(dataDir: string): Promise<{ runtime: Runtime; t: TestApp }> {
  const config = parseConfig(envFor(dataDir));
  const runtime = await composeRuntime(config, createLogger(config));
  const t = await createTestApp(runtime.deps.database, runtime.deps, envFor(dataDir));
  return { runtime, t };
}

const QUERIES = ["How do I create a collection?", "tracing JIT compiler loops", "comments in a document"];

/** Tenant A's usage totals and audit log as they stand. */
async function ledgerOf(t: TestApp, a: { adminKey: string }) {
  const usage = (await t.call("GET", "/v1/usage", { key: a.adminKey })).body.totals;
  const audit = (await t.call("GET", "/v1/audit?limit=100", { key: a.adminKey })).body.data;
  return { usage, audit };
}

/**
 * Tenant A's search results and an answer (the offline extractive model, which writes a ledger row).
 * Keyword scores depend on the whole collection's statistics, so both sides are compared with every
 * document of both tenants ready.
 */
async function resultsOf(t: TestApp, a: { adminKey: string; kbId: string }) {
  const out: unknown[] = [];
  for (const query of QUERIES) {
    const r = await t.call("POST", "/v1/search", {
      key: a.adminKey,
      body: { query, knowledge_base_ids: [a.kbId], top_k: 5 },
    });
    expect(r.status).toBe(200);
    out.push(r.body.data.map((h: any) => [h.document_id, h.chunk_id ?? h.id, h.score]));
  }
  const ask = await t.call("POST", "/v1/ask", {
    key: a.adminKey,
    body: { question: QUERIES[0], knowledge_base_ids: [a.kbId] },
  });
  expect(ask.status).toBe(200);
  out.push(ask.body.answer);
  return out;
}

describe("backup and restore, embedded profile", () => {
  const dirs: string[] = [];
  const closers: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of closers.reverse()) await c().catch(() => {});
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it("round-trips a backup taken under search load into a fresh data directory", {
    timeout: 240_000,
  }, async () => {
    const dirA = await mkdtemp(join(tmpdir(), "aihub-bk-a-"));
    const dirB = await mkdtemp(join(tmpdir(), "aihub-bk-b-"));
    const out = join(dirA, "..", `${dirA.split("/").pop()}.aihub`);
    dirs.push(dirA, dirB, out);
    const a0 = await start(dirA);
    closers.push(() => a0.runtime.close());
    const t = a0.t;

    // Tenant A: real documents, then quiet.
    const a = await tenantWithKb(t);
    for (const [path, name] of [
      ["markdown/qdrant_README.md", "qdrant.md"],
      ["pdf/pdfjs_tracemonkey.pdf", "tracemonkey.pdf"],
      ["docx/mammoth_comments.docx", "comments.docx"],
    ]) {
      const up = await upload(t, a.ingestKey, a.kbId, { bytes: await fixture(path!), name: name! });
      expect(up.status).toBe(202);
      expect((await waitForTerminal(t, a.ingestKey, up.body.id)).status).toBe("ready");
    }
    // Originals are encrypted at rest, and so in the backup.
    const blobFiles = await (await import("node:fs/promises")).readdir(join(dirA, "blobs"), {
      recursive: true,
    });
    const firstBlob = blobFiles.find((f) => /\/./.test(f))!;
    expect(isEncrypted(await readFile(join(dirA, "blobs", firstBlob)))).toBe(true);
    await resultsOf(t, a);
    const atBackup = await ledgerOf(t, a);
    expect(atBackup.usage.requests).toBeGreaterThan(0);
    expect(atBackup.audit.length).toBeGreaterThan(0);

    // Tenant B: one document ready, a second still processing when the backup is taken.
    const b = await tenantWithKb(t);
    const bReady = await upload(t, b.ingestKey, b.kbId, {
      bytes: await fixture("markdown/mammoth_README.md"),
      name: "mammoth.md",
    });
    await waitForTerminal(t, b.ingestKey, bReady.body.id);
    let stop = false;
    let searches = 0;
    let failures = 0;
    const load = Array.from({ length: 3 }, async () => {
      while (!stop) {
        const r =
          searches % 4 === 3
            ? await t.call("POST", "/v1/ask", {
                key: b.adminKey,
                body: { question: "How do I convert docx to html?", knowledge_base_ids: [b.kbId] },
              })
            : await t.call("POST", "/v1/search", {
                key: b.adminKey,
                body: { query: "convert docx to html", knowledge_base_ids: [b.kbId] },
              });
        if (r.status === 200) searches++;
        else failures++;
      }
    });
    const inFlight = await upload(t, b.ingestKey, b.kbId, {
      bytes: await fixture("pdf/pdfjs_tracemonkey.pdf"),
      name: "in-flight.pdf",
    });
    expect(inFlight.status).toBe(202);
    const usageBBefore = (await t.call("GET", "/v1/usage", { key: b.adminKey })).body.totals;

    // The backup, through the real CLI against the running service over HTTP.
    const http = await serveOverHttp(t.app);
    closers.push(() => http.close());
    const cli = spawnTs("src/cli/backup.ts", envFor(dirA), ["--out", out, "--url", http.baseURL]);
    expect(await cli.exited, cli.output()).toBe(0);
    expect(cli.output()).toMatch(/backup written to .*writes held \d+ ms/);
    const searchesDuringBackup = searches;
    stop = true;
    await Promise.all(load);
    expect(failures).toBe(0);
    expect(searchesDuringBackup).toBeGreaterThan(0);
    expect((await stat(out)).size).toBeGreaterThan(1000);

    const usageBAfter = (await t.call("GET", "/v1/usage", { key: b.adminKey })).body.totals;
    await waitForTerminal(t, b.ingestKey, inFlight.body.id, 120_000);
    const before = await resultsOf(t, a);
    await http.close();
    await a0.runtime.close();

    // Restore into a fresh directory with the real CLI, then start the service there.
    const restore = spawnTs("src/cli/restore.ts", envFor(dirB), [out]);
    expect(await restore.exited, restore.output()).toBe(0);
    expect(restore.output()).toMatch(/restored .* into /);
    const again = spawnTs("src/cli/restore.ts", envFor(dirB), [out]);
    expect(await again.exited).toBe(1);
    expect(again.output()).toMatch(/already holds pg, vectors, blobs/);

    const b0 = await start(dirB);
    closers.push(() => b0.runtime.close());
    expect(await ledgerOf(b0.t, a)).toEqual(atBackup);

    // Tenant B: usage is whole rows from some instant during the load, and the document that was
    // processing at backup time finishes after the restore with exactly its chunks as points.
    const usageB = (await b0.t.call("GET", "/v1/usage", { key: b.adminKey })).body.totals;
    expect(usageB.requests).toBeGreaterThanOrEqual(usageBBefore.requests);
    expect(usageB.requests).toBeLessThanOrEqual(usageBAfter.requests);
    const doc = await waitForTerminal(b0.t, b.ingestKey, inFlight.body.id, 120_000);
    expect(doc.status).toBe("ready");
    expect(await b0.runtime.deps.vectors!.count(b.tenantId, { docId: inFlight.body.id })).toBe(doc.chunks);
    expect(await resultsOf(b0.t, a)).toEqual(before);
    const content = await b0.t.app.request(`/v1/documents/${bReady.body.id}/content`, {
      headers: { authorization: `Bearer ${b.adminKey}` },
    });
    expect(content.status).toBe(200);
    expect(Buffer.from(await content.arrayBuffer())).toEqual(
      Buffer.from(await fixture("markdown/mammoth_README.md")),
    );
  });
});
