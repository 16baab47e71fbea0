import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reasonFor } from "../../ingest/pipeline/failure.js";
import { MAX_CRASH_RETRIES } from "../../ingest/pipeline/recover.js";
import { UnrecoverableError } from "../../ingest/queue/bullmq.js";
import { parseConfig } from "../../src/config.js";
import { documentVersions } from "../../src/db/schema.js";
import { createLogger } from "../../src/logger.js";
import { composeIngestion } from "../../src/runtime/ingestion.js";
import {
  fixture,
  type IngestStack,
  startIngestStack,
  tenantWithKb,
  upload,
  waitForTerminal,
} from "../helpers/ingest.js";

/**
 * A restart with a poisoned job in the queue: a version that was `processing` when its process died
 * is queued again on start up to MAX_CRASH_RETRIES times, then fails `crashed_worker` instead of
 * killing every restart after it. The crash itself is simulated by stopping the queue mid-document
 * and recording the starts a crash loop would have left behind (the attempts counter).
 */
describe("restart with a poisoned job", () => {
  let s: IngestStack;
  let kb: Awaited<ReturnType<typeof tenantWithKb>>;

  beforeAll(async () => {
    s = await startIngestStack("pglite");
    kb = await tenantWithKb(s.t);
  }, 180_000);
  afterAll(async () => {
    await s?.close();
  });

  async function restart() {
    const config = parseConfig({ NODE_ENV: "test", LOG_LEVEL: "silent", DATA_DIR: s.t.deps.config.DATA_DIR });
    s.ingestion = await composeIngestion({
      config,
      logger: createLogger(config),
      database: s.t.deps.database,
      vectors: s.vectors,
      embedder: s.t.deps.embedder!,
      role: "api",
    });
    s.t.deps.ingestQueue = s.ingestion.queue;
  }

  it("fails a version crashed past its retries as crashed_worker, requeues one within them, and stays healthy", async () => {
    const bytes = await fixture("pdf/pdfjs_tracemonkey.pdf");
    const poison = await upload(s.t, kb.ingestKey, kb.kbId, { bytes, name: "poison.pdf" });
    const unlucky = await upload(s.t, kb.ingestKey, kb.kbId, {
      bytes: Buffer.from("# Notes\n\nA document whose worker died once."),
      name: "unlucky.md",
    });
    // The process "dies" with both in flight, after crash loops of different lengths.
    await s.ingestion.close();
    const { db } = s.t.deps.database;
    const crashed = async (versionId: string, starts: number) =>
      db
        .update(documentVersions)
        .set({ status: "processing", attempts: starts })
        .where(eq(documentVersions.id, versionId));
    await crashed(poison.body.version_id, 1 + MAX_CRASH_RETRIES);
    await crashed(unlucky.body.version_id, MAX_CRASH_RETRIES);

    await restart();
    expect((await s.t.call("GET", "/healthz", { key: null })).status).toBe(200);
    const failed = await waitForTerminal(s.t, kb.ingestKey, poison.body.id);
    expect(failed).toMatchObject({ status: "failed", error: { code: "crashed_worker" } });
    expect(failed.error.message).toMatch(/4 times/);
    const retried = await waitForTerminal(s.t, kb.ingestKey, unlucky.body.id);
    expect(retried.status).toBe("ready");
    expect(retried.attempts).toBe(MAX_CRASH_RETRIES + 1);

    // Another restart leaves the failed version failed: it is never queued again.
    await s.ingestion.close();
    await restart();
    const again = (await s.t.call("GET", `/v1/documents/${poison.body.id}`, { key: kb.ingestKey })).body;
    expect(again.status).toBe("failed");
    expect(await s.ingestion.queue.isLive(poison.body.version_id)).toBe(false);
  }, 180_000);

  it("names BullMQ's stalled-job failure crashed_worker (a worker that kept dying)", () => {
    // The message BullMQ fails a job with once it stalled more than WORKER_MAX_STALLED_COUNT times.
    const stalled = new UnrecoverableError("job stalled more than allowable limit");
    expect(reasonFor(stalled).code).toBe("crashed_worker");
    expect(reasonFor(new Error("something else")).code).toBe("internal_error");
  });
});
