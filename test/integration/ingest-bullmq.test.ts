import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  fixture,
  type IngestStack,
  startIngestStack,
  tenantWithKb,
  upload,
  waitForTerminal,
} from "../helpers/ingest.js";
import { spawnWorker, stopWorker, type WorkerProcess } from "../helpers/worker-process.js";

/** Fast stalled-job detection so a killed worker's job moves on within seconds. */
const FAST_STALL = { WORKER_LOCK_MS: "2000", WORKER_STALLED_INTERVAL_MS: "1000", WORKER_CONCURRENCY: "1" };

describe("ingestion through BullMQ on Redis with worker processes (PostgreSQL + engine)", () => {
  let s: IngestStack;
  let kb: Awaited<ReturnType<typeof tenantWithKb>>;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    s = await startIngestStack("postgres", { bullmq: true });
    kb = await tenantWithKb(s.t, { chunk_size: 128, chunk_overlap: 16 });
  });
  afterAll(async () => {
    for (const w of workers) await stopWorker(w);
    await s?.close();
  });

  it("refuses to start a worker without shared database, vector store and Redis, saying why", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "src/worker.ts"], {
      cwd: new URL("../../", import.meta.url).pathname,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, REDIS_URL: s.workerEnv.REDIS_URL },
    });
    let err = "";
    child.stderr.on("data", (d) => (err += d));
    const code = await new Promise((resolve) => child.once("exit", resolve));
    expect(code).toBe(2);
    expect(err).toMatch(/DATABASE_URL is not set/);
    expect(err).toMatch(/QDRANT_URL is not set/);
    expect(err).not.toMatch(/REDIS_URL is not set/);
  });

  it("a worker process takes uploads to ready (and bad ones to failed, without retries)", async () => {
    workers.push(await spawnWorker({ ...s.workerEnv, ...FAST_STALL }));
    const good = await upload(s.t, kb.ingestKey, kb.kbId, {
      bytes: await fixture("pdf/pdfjs_tracemonkey.pdf"),
      name: "t.pdf",
    });
    const locked = await upload(s.t, kb.ingestKey, kb.kbId, {
      bytes: await fixture("pdf/pdfjs_issue6010_1.pdf"),
      name: "l.pdf",
    });
    expect(good.status).toBe(202);
    const doc = await waitForTerminal(s.t, kb.ingestKey, good.body.id);
    expect(doc).toMatchObject({ status: "ready", pages: 14, attempts: 1 });
    expect(await s.vectors.count(kb.tenantId, { docVersion: doc.version_id })).toBe(doc.chunks);
    const failed = await waitForTerminal(s.t, kb.ingestKey, locked.body.id);
    expect(failed).toMatchObject({ status: "failed", attempts: 1, error: { code: "encrypted" } });
    // Enqueueing a finished version again is harmless: the pipeline skips it.
    await s.ingestion.queue.enqueue("ingest.document", { tenantId: kb.tenantId, versionId: doc.version_id });
    expect(await s.vectors.count(kb.tenantId, { docId: good.body.id })).toBe(doc.chunks);
    await stopWorker(workers.pop());
  });

  it("survives SIGKILL mid-document: another worker finishes it with exactly one point per chunk", async () => {
    const first = await spawnWorker({ ...s.workerEnv, ...FAST_STALL });
    workers.push(first);
    const up = await upload(s.t, kb.ingestKey, kb.kbId, {
      bytes: await fixture("pdf/pdfjs_freeculture.pdf"),
      name: "free-culture.pdf",
    });
    expect(up.status).toBe(202);

    // Wait until it is part-way through indexing, then kill the worker without warning.
    const deadline = Date.now() + 120_000;
    let seen: any;
    for (;;) {
      seen = (await s.t.call("GET", `/v1/documents/${up.body.id}`, { key: kb.ingestKey })).body;
      if (seen.status === "processing" && seen.progress.chunks_indexed > 0) break;
      if (seen.status === "ready" || seen.status === "failed" || Date.now() > deadline) {
        throw new Error(`never caught the book mid-indexing: ${JSON.stringify(seen)}\n${first.output()}`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    first.child.kill("SIGKILL");
    expect(await first.exited).toBe("SIGKILL");
    const before = await s.vectors.count(kb.tenantId, { docVersion: up.body.version_id });
    expect(before).toBeGreaterThan(0);

    workers.push(await spawnWorker({ ...s.workerEnv, ...FAST_STALL }));
    const doc = await waitForTerminal(s.t, kb.ingestKey, up.body.id, 180_000);
    expect(doc.status).toBe("ready");
    expect(doc.pages).toBe(352);
    expect(doc.attempts).toBeGreaterThanOrEqual(2);
    expect(doc.chunks).toBeGreaterThan(seen.progress.chunks_indexed);
    expect(await s.vectors.count(kb.tenantId, { docVersion: up.body.version_id })).toBe(doc.chunks);
    expect(await s.vectors.count(kb.tenantId, { docId: up.body.id })).toBe(doc.chunks);
  }, 300_000);
});
