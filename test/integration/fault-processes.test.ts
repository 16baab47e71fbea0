import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Cluster, startCluster, until } from "../helpers/cluster.js";
import {
  cpuTicks,
  enginePoints,
  fixtureBytes,
  orgWithKb,
  sqlRows,
  uploadTo,
} from "../helpers/fault-client.js";
import { hubClient } from "../helpers/http-client.js";
import { type OpenAIStub, startOpenAIStub } from "../helpers/openai-stub.js";

/** A 60-word answer streamed one word every 40 ms: about 2.4 s, long enough to kill a process mid-way. */
const ANSWER = Array.from({ length: 60 }, (_, i) => `word${i}`).join(" ");

/**
 * Issue 17, high availability: two API processes and two workers as real processes (PostgreSQL, Redis,
 * the engine standing in for Qdrant). A client whose API process dies mid-stream retries on the other
 * and is charged once; a worker SIGKILLed mid-book leaves the book to the other worker, which ends it
 * ready with exactly one point per chunk.
 */
describe("fault tolerance: processes die", () => {
  let stub: OpenAIStub;
  let c: Cluster;
  beforeAll(async () => {
    stub = await startOpenAIStub({ answer: ANSWER, dripMs: 40 });
    c = await startCluster({
      env: {
        PROVIDERS_JSON: JSON.stringify([{ id: "stub", baseURL: stub.baseURL, apiKey: "sk-test" }]),
        MODELS_JSON: JSON.stringify([
          { id: "paced", provider: "stub", upstream: "stub-paced", price: { input: 2, output: 5 } },
        ]),
        DEFAULT_MODEL: "paced",
        // A dead worker's job moves on within seconds rather than 30 s.
        WORKER_LOCK_MS: "4000",
        WORKER_STALLED_INTERVAL_MS: "2000",
        WORKER_CONCURRENCY: "1",
      },
    });
  }, 180_000);
  afterAll(async () => {
    await c?.close();
    await stub?.close();
  });

  it("API process killed mid-stream: the client retries on the other one and is charged once", async () => {
    const org = await orgWithKb(c, 1);
    const note = await uploadTo(
      c,
      1,
      org.key,
      org.kbId,
      new TextEncoder().encode("Trace trees record hot loops."),
      "n.txt",
    );
    expect(note.status).toBe(202);
    const doc = await hubClient(c.apiUrls[1]!).waitForTerminal(org.key, note.body.id, 60_000);
    expect(doc.status).toBe("ready");

    const idem = `fault-${Date.now()}`;
    const body = JSON.stringify({ question: "What do trace trees record?", knowledge_base_ids: [org.kbId] });
    const headers = {
      authorization: `Bearer ${org.key}`,
      "content-type": "application/json",
      "idempotency-key": idem,
    };
    // First attempt on API 0: read until the answer is flowing, then SIGKILL that process.
    const res = await fetch(`${c.apiUrls[0]}/v1/ask`, { method: "POST", headers, body });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let seen = "";
    while (!seen.includes("event: delta")) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`stream ended before any delta: ${seen}`);
      seen += new TextDecoder().decode(value);
    }
    const killedAt = Date.now();
    c.apis[0]!.child.kill("SIGKILL");
    let cut = "";
    try {
      for (;;) {
        const { done } = await reader.read();
        if (done) break;
      }
      cut = "stream ended without `done`";
    } catch (err) {
      cut = `read failed: ${(err as Error).message}`;
    }
    expect(await c.apis[0]!.exited).toBeNull();
    // The retry, with the same Idempotency-Key, on the other process.
    const retry = await fetch(`${c.apiUrls[1]}/v1/ask`, { method: "POST", headers, body });
    const text = await retry.text();
    expect(retry.status).toBe(200);
    expect(text).toContain("event: done");
    const ledger = await sqlRows<{ charge_micros: string; status: string; request_id: string }>(
      c,
      "select charge_micros, status, request_id from usage_ledger where idempotency_key = $1 and kind = 'chat'",
      [idem],
    );
    const charged = ledger.filter((r) => Number(r.charge_micros) > 0);
    console.log(
      `[fault: api killed mid-stream] killed API 0 after the first delta (${seen.split("event: delta").length - 1} deltas read); client saw "${cut}"; retried on API 1 in ${Date.now() - killedAt} ms: 200 with done; ledger rows for the key: ${JSON.stringify(ledger)}`,
    );
    expect(charged).toHaveLength(1);
    expect(ledger.filter((r) => r.status === "ok")).toHaveLength(ledger.length);
    // API 0 comes back for the next tests.
    await c.startApi(0);
  }, 120_000);

  it("worker SIGKILLed mid-book: the other worker finishes it ready with exactly its chunk count of points", async () => {
    const org = await orgWithKb(c, 0, { chunk_size: 128, chunk_overlap: 16 });
    const ticks = c.workers.map((w) => cpuTicks(w.child.pid));
    const up = await uploadTo(
      c,
      0,
      org.key,
      org.kbId,
      fixtureBytes("pdf/pdfjs_freeculture.pdf"),
      "free-culture.pdf",
    );
    expect(up.status).toBe(202);
    const api = hubClient(c.apiUrls[1]!);
    const deadline = Date.now() + 60_000;
    let seen: any;
    for (;;) {
      seen = (await api.call("GET", `/v1/documents/${up.body.id}`, { key: org.key })).body;
      if (seen.status === "processing" && seen.progress.chunks_indexed > 0) break;
      if (seen.status === "ready" || seen.status === "failed" || Date.now() > deadline) {
        throw new Error(`never caught the book mid-indexing: ${JSON.stringify(seen)}`);
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    // The worker holding the book is the one that has been busy since the upload.
    const busy = c.workers.map((w, i) => cpuTicks(w.child.pid) - ticks[i]!);
    const victim = busy[0]! >= busy[1]! ? 0 : 1;
    c.workers[victim]!.child.kill("SIGKILL");
    const killedAt = Date.now();
    const pointsAtKill = await enginePoints(c, up.body.version_id);
    const doc = await api.waitForTerminal(org.key, up.body.id, 80_000);
    const points = await enginePoints(c, up.body.version_id);
    console.log(
      `[fault: worker SIGKILL mid-book] killed worker ${victim} (cpu ticks since upload ${busy.join("/")}) at ${seen.progress.chunks_indexed} chunks indexed, ${pointsAtKill} points; worker ${1 - victim} finished: ${doc.status} after ${Date.now() - killedAt} ms, attempts ${doc.attempts}, ${doc.pages} pages, ${doc.chunks} chunks, ${points} points in the engine`,
    );
    expect(doc.status).toBe("ready");
    expect(doc.pages).toBe(352);
    expect(doc.attempts).toBeGreaterThanOrEqual(2);
    expect(points).toBe(doc.chunks);
    await c.startWorker(victim);
  }, 120_000);

  it("the processes that stayed up answered throughout", async () => {
    const ready = await until("both API processes ready", async () => {
      const r = await Promise.all(c.apiUrls.map((u) => fetch(`${u}/readyz`).then((x) => x.status)));
      return r.every((s) => s === 200) ? r : undefined;
    });
    expect(ready).toEqual([200, 200]);
  });
});
