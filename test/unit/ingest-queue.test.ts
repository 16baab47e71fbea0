import { UnrecoverableError } from "bullmq";
import { describe, expect, it } from "vitest";
import { InvalidJobError, parsePayload } from "../../ingest/queue/catalog.js";
import { createInProcessQueue } from "../../ingest/queue/in-process.js";
import type { JobRun } from "../../ingest/queue/types.js";
import { parseConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";

const logger = createLogger(parseConfig({ LOG_LEVEL: "silent" }));
const payload = (n: number) => ({ tenantId: "ten_1", versionId: `ver_${n}` });

function harness(behaviour: (run: JobRun) => Promise<void>) {
  const runs: JobRun[] = [];
  const failures: { id: string; error: Error }[] = [];
  const queue = createInProcessQueue({
    concurrency: 2,
    logger,
    retryDelay: () => 5,
    processor: async (run) => {
      runs.push(run);
      await behaviour(run);
    },
    onFailure: async (run, error) => {
      failures.push({ id: run.id, error });
    },
  });
  return { queue, runs, failures };
}

describe("job catalog", () => {
  it("validates payloads and names the bad field", () => {
    expect(parsePayload("ingest.document", payload(1))).toEqual(payload(1));
    expect(() => parsePayload("ingest.document", { tenantId: "ten_1", versionId: "doc_1" })).toThrow(
      InvalidJobError,
    );
    expect(() => parsePayload("ingest.document", { tenantId: "ten_1" })).toThrow(/versionId/);
    expect(() => parsePayload("ingest.document", { ...payload(1), extra: 1 })).toThrow(/extra/);
  });
});

describe("in-process queue", () => {
  it("runs a job once per id, however often it is enqueued", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { queue, runs } = harness(() => gate);
    await Promise.all([
      queue.enqueue("ingest.document", payload(1)),
      queue.enqueue("ingest.document", payload(1)),
    ]);
    await queue.enqueue("ingest.document", payload(2));
    expect(await queue.isLive("ver_1")).toBe(true);
    // Still running: enqueueing again does not add a second run.
    await queue.enqueue("ingest.document", payload(1));
    release();
    await queue.idle();
    expect(runs.map((r) => r.id).sort()).toEqual(["ver_1", "ver_2"]);
    expect(await queue.isLive("ver_1")).toBe(false);
    await queue.close();
  });

  it("retries transient failures with backoff and gives up on permanent ones at once", async () => {
    let flaky = 0;
    const { queue, runs, failures } = harness(async (run) => {
      if (run.payload.versionId === "ver_1" && ++flaky < 3) throw new Error("ECONNRESET");
      if (run.payload.versionId === "ver_2") throw new UnrecoverableError("encrypted");
    });
    await queue.enqueue("ingest.document", payload(1));
    await queue.enqueue("ingest.document", payload(2));
    await queue.idle();
    expect(runs.filter((r) => r.id === "ver_1").map((r) => r.attempt)).toEqual([1, 2, 3]);
    expect(runs.filter((r) => r.id === "ver_2")).toHaveLength(1);
    expect(failures.map((f) => [f.id, f.error.message])).toEqual([["ver_2", "encrypted"]]);
    await queue.close();
  });

  it("reports a job as failed when its attempts run out", async () => {
    const { queue, runs, failures } = harness(async () => {
      throw new Error("vector store down");
    });
    await queue.enqueue("ingest.document", payload(3));
    await queue.idle();
    expect(runs.at(-1)).toMatchObject({ attempt: 6, finalAttempt: true });
    expect(failures).toHaveLength(1);
    await queue.close();
  });

  it("refuses invalid payloads at enqueue time", async () => {
    const { queue } = harness(async () => {});
    await expect(queue.enqueue("ingest.document", { tenantId: "", versionId: "ver_1" })).rejects.toThrow(
      /tenantId/,
    );
    await queue.close();
  });

  it("aborts running jobs on close", async () => {
    let aborted = false;
    const { queue } = harness(
      (run) =>
        new Promise<void>((resolve) => {
          run.signal.addEventListener("abort", () => {
            aborted = true;
            resolve();
          });
        }),
    );
    await queue.enqueue("ingest.document", payload(4));
    await queue.close();
    expect(aborted).toBe(true);
    await expect(queue.enqueue("ingest.document", payload(5))).rejects.toThrow(/closed/);
  });
});
