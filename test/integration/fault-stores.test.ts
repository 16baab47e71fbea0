import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Cluster, startCluster, stop, until } from "../helpers/cluster.js";
import { enginePoints, fixtureBytes, orgWithKb, sqlRows, uploadTo } from "../helpers/fault-client.js";
import { hubClient } from "../helpers/http-client.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Issue 17, high availability: the shared stores fail under two API processes and two workers.
 * Redis is a redis-server of this test's own (restarted empty: it keeps nothing on disk); PostgreSQL
 * is the machine's, reached through a TCP proxy that this test cuts and restores (a restart as clients
 * see it: every connection dropped, new ones refused); the engine, standing in for Qdrant, is SIGKILLed
 * and started again on its port and data folder. No API process or worker is restarted.
 */
describe("fault tolerance: stores restart", () => {
  let c: Cluster;
  beforeAll(async () => {
    c = await startCluster({
      ownRedis: true,
      env: {
        // Jobs a Redis restart loses are queued again within seconds (default 5 minutes).
        INGEST_RECOVERY_INTERVAL_MS: "3000",
        WORKER_LOCK_MS: "4000",
        WORKER_STALLED_INTERVAL_MS: "2000",
      },
    });
  }, 180_000);
  afterAll(async () => c?.close());

  it("Redis restarted during a batch of uploads: every upload ends ready, none lost", async () => {
    const org = await orgWithKb(c, 0);
    const N = 16;
    // A real PDF and a DOCX among distinct text notes: every upload is different content (identical bytes
    // would be the same document).
    const pdfs: Record<number, string> = { 0: "pdf/pdfjs_tracemonkey.pdf", 4: "docx/tika_testWORD.docx" };
    const files = Array.from({ length: N }, (_, i) =>
      pdfs[i]
        ? { name: `doc-${i}.${pdfs[i]!.split(".").pop()}`, bytes: fixtureBytes(pdfs[i]!) }
        : {
            name: `note-${i}.txt`,
            bytes: new TextEncoder().encode(
              `Note ${i}: the lighthouse keeper counted ${i * 7} ships at dawn.`,
            ),
          },
    );
    const outcomes: string[] = [];
    /** Uploads one file, retrying on 503 or a dropped connection (alternating API processes). */
    const send = async (i: number) => {
      const deadline = Date.now() + 60_000;
      for (let attempt = 0; ; attempt++) {
        try {
          const r = await uploadTo(c, (i + attempt) % 2, org.key, org.kbId, files[i]!.bytes, files[i]!.name);
          outcomes.push(`${i}:${r.status}`);
          if (r.status === 202 || r.status === 200 || r.status === 201) return r.body.id as string;
          if (r.status !== 503 && r.status !== 500)
            throw new Error(`upload ${i}: ${r.status} ${JSON.stringify(r.body)}`);
        } catch (err) {
          if ((err as Error).message.startsWith("upload")) throw err;
          outcomes.push(`${i}:${(err as Error).message}`);
        }
        if (Date.now() > deadline) throw new Error(`upload ${i} never accepted: ${outcomes.join(" ")}`);
        await sleep(500);
      }
    };
    const ids: Promise<string>[] = [];
    for (let i = 0; i < N; i++) {
      ids.push(send(i));
      if (i === 5) {
        // Mid-batch: Redis goes away (SIGKILL) and comes back empty 2 s later.
        await stop(c.redis!, "SIGKILL");
        console.log(`[fault: redis restart] killed redis-server after ${i + 1} uploads were sent`);
        setTimeout(() => void c.startRedis(), 2_000);
      }
      await sleep(150);
    }
    const docIds = await Promise.all(ids);
    const distinct = [...new Set(docIds)];
    const api = hubClient(c.apiUrls[1]!);
    const docs = await Promise.all(distinct.map((id) => api.waitForTerminal(org.key, id, 80_000)));
    const rows = await sqlRows<{ n: string }>(c, "select count(*) as n from documents where kb_id = $1", [
      org.kbId,
    ]);
    const statuses = new Map<string, number>();
    for (const d of docs) statuses.set(d.status, (statuses.get(d.status) ?? 0) + 1);
    console.log(
      `[fault: redis restart] ${N} uploads, answers: ${outcomes.join(" ")}; ${distinct.length} documents, statuses: ${JSON.stringify(Object.fromEntries(statuses))}; documents in the knowledge base: ${rows[0]!.n}`,
    );
    expect(distinct).toHaveLength(N);
    expect(docs.filter((d) => d.status !== "ready")).toEqual([]);
    expect(Number(rows[0]!.n)).toBe(N);
  }, 120_000);

  it("PostgreSQL restarted: requests fail fast with 503 and a reason, then recover with no process restarted", async () => {
    const org = await orgWithKb(c, 0);
    const pids = c.apis.map((a) => a.child.pid);
    await c.pgProxy.cut();
    const cutAt = Date.now();
    const during = await Promise.all(
      c.apiUrls.map(async (u) => {
        const started = Date.now();
        const r = await fetch(`${u}/v1/knowledge-bases`, { headers: { authorization: `Bearer ${org.key}` } });
        return {
          status: r.status,
          ms: Date.now() - started,
          body: (await r.json()) as any,
          retry: r.headers.get("retry-after"),
        };
      }),
    );
    const ready = await fetch(`${c.apiUrls[0]}/readyz`);
    const readyBody = (await ready.json()) as any;
    await sleep(1_500);
    await c.pgProxy.restore();
    const restoredAt = Date.now();
    const after = await until(
      "both API processes answer 200 again",
      async () => {
        const r = await Promise.all(
          c.apiUrls.map((u) =>
            fetch(`${u}/v1/knowledge-bases`, { headers: { authorization: `Bearer ${org.key}` } }),
          ),
        );
        return r.every((x) => x.status === 200) ? r.map((x) => x.status) : undefined;
      },
      30_000,
    );
    console.log(
      `[fault: postgres restart, simulated by a TCP proxy cut] during the cut: ${during
        .map((d) => `${d.status} in ${d.ms} ms (${d.body.code}: ${d.body.detail}; retry-after ${d.retry})`)
        .join(
          " | ",
        )}; /readyz ${ready.status} ${JSON.stringify(readyBody.checks)}; restored after ${restoredAt - cutAt} ms, both APIs 200 again ${Date.now() - restoredAt} ms later`,
    );
    for (const d of during) {
      expect(d.status).toBe(503);
      expect(d.body.code).toBe("unavailable");
      expect(d.body.detail).toMatch(/database did not answer/i);
      expect(d.ms).toBeLessThan(6_000);
    }
    expect(ready.status).toBe(503);
    expect(readyBody.checks.database).toBe("down");
    expect(after).toEqual([200, 200]);
    expect(c.apis.map((a) => a.child.pid)).toEqual(pids);
    expect(c.apis.every((a) => a.child.exitCode === null)).toBe(true);
  }, 90_000);

  it("engine killed and restarted: search answers 503, then recovers with every acknowledged point", async () => {
    const org = await orgWithKb(c, 0);
    const up = await uploadTo(c, 0, org.key, org.kbId, fixtureBytes("pdf/pdfjs_tracemonkey.pdf"), "tm.pdf");
    const api = hubClient(c.apiUrls[1]!);
    const doc = await api.waitForTerminal(org.key, up.body.id, 60_000);
    expect(doc.status).toBe("ready");
    const acknowledged = await enginePoints(c, up.body.version_id);
    const search = () =>
      api.call("POST", "/v1/search", {
        key: org.key,
        body: { query: "trace trees hot loops", knowledge_base_ids: [org.kbId], top_k: 3 },
      });
    expect((await search()).status).toBe(200);

    await stop(c.engine, "SIGKILL");
    const started = Date.now();
    const down = await search();
    const downMs = Date.now() - started;
    await c.startEngine();
    const back = await until(
      "search answers 200 again",
      async () => {
        const r = await search();
        return r.status === 200 ? r : undefined;
      },
      30_000,
    );
    const points = await enginePoints(c, up.body.version_id);
    console.log(
      `[fault: engine restart] SIGKILLed the engine; search answered ${down.status} in ${downMs} ms (${down.body.code}: ${down.body.detail}); restarted on the same port and data: search ${back.status} with ${back.body.data?.length ?? back.body.results?.length} hits; points of the document: ${points} of ${acknowledged} acknowledged (${doc.chunks} chunks)`,
    );
    expect(down.status).toBe(503);
    expect(down.body.code).toBe("unavailable");
    expect(JSON.stringify(back.body)).toContain(up.body.id);
    expect(points).toBe(acknowledged);
    expect(points).toBe(doc.chunks);
  }, 90_000);
});
