/**
 * bench:soak — SOAK_USERS simulated users (default 10,000) against 2 API processes and 2 workers for
 * SOAK_MINUTES (default 10) after they joined over SOAK_RAMP_S (60), with a stub provider whose first token comes after SOAK_TTFT_MS (50).
 * Each user asks about every 30 s (SOAK_ASK_EVERY_S), streamed, on a random one of the two API processes;
 * SOAK_UPLOADERS of them (default 1%) also upload one small document at a random moment. Reports
 * documents lost (accepted uploads not ready at the end), the error rate, the p99 latency added before
 * the model's first token (client time to the first delta minus the stub's delay; and server-side ttft
 * minus the delay), RSS of every process over time (growth over the last half), and GET /v1/sla against
 * this client's own request log. Writes test/bench/results/soak.json and soak.md (and every request's
 * timing to SOAK_SAMPLES_OUT when set).
 */
// First: stops on a Node too old to run the rest (see node-check.ts).
import "../../src/node-check.js";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { loadavg } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { PLATFORM_KEY } from "../helpers/app.js";
import { type Cluster, startCluster, stop } from "../helpers/cluster.js";
import { spawnProcess } from "../helpers/process.js";
import { cpuPerUnit, cpuSnapshot, stealMs } from "./proc-cpu.js";
import { rssMb } from "./proc-rss.js";
import { markdown, r1, type Sample, summarize } from "./soak-report.js";

const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
const USERS = Number(process.env.SOAK_USERS ?? 10_000);
const ASK_EVERY_MS = Number(process.env.SOAK_ASK_EVERY_S ?? 30) * 1000;
const TTFT_MS = Number(process.env.SOAK_TTFT_MS ?? 50);
const UPLOADERS = Number(process.env.SOAK_UPLOADERS ?? Math.ceil(USERS / 100));
const ORGS = Number(process.env.SOAK_ORGS ?? 20);
// Users join over the first SOAK_RAMP_S seconds (60), then all of them stay for SOAK_MINUTES: users of a
// service arrive over a minute, not within the same 30 s as its processes start. 0: all within the
// first ask period, at full rate from the first second on cold processes (README: what that costs).
const RAMP_MS = Number(process.env.SOAK_RAMP_S ?? 60) * 1000;
const ROOT = join(import.meta.dirname, "../..");

/**
 * Keep-alive pools: 10,000 users are mostly timers; what they share is a few hundred connections per
 * API process (node:http's Agent; the same pooling undici's Agent gives, without a new dependency).
 */
const agent = new Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 256 });

/** One HTTP request on the pool; resolves with status, the time of the first byte matching `first`, and the body. */
function send(
  url: string,
  opts: { method: string; headers: Record<string, string>; body: string | Buffer; first?: string },
): Promise<{ status: number; firstMs: number | null; totalMs: number; body: string }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { method: opts.method, headers: opts.headers, agent }, (res) => {
      let body = "";
      let firstMs: number | null = opts.first ? null : performance.now() - started;
      res.setEncoding("utf8");
      res.on("data", (c: string) => {
        body += c;
        if (firstMs === null && opts.first && body.includes(opts.first))
          firstMs = performance.now() - started;
      });
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, firstMs, totalMs: performance.now() - started, body }),
      );
      res.on("error", reject);
    });
    req.setTimeout(60_000, () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end(opts.body);
  });
}

async function json(c: Cluster, i: number, method: string, path: string, key: string, body?: unknown) {
  const r = await send(`${c.apiUrls[i]}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: body === undefined ? "" : JSON.stringify(body),
  });
  return { status: r.status, body: JSON.parse(r.body || "null") };
}

/** RSS in whole MB, or null once the process is gone. */
const rssOf = (pid: number | undefined): number | null => {
  try {
    return pid ? Math.round(rssMb(pid)) : null;
  } catch {
    return null;
  }
};

async function main() {
  const load0 = loadavg();
  console.log(
    `soak: ${USERS} users, ${MINUTES} min, ask every ${ASK_EVERY_MS / 1000} s, ${UPLOADERS} uploaders, stub TTFT ${TTFT_MS} ms`,
  );
  const stub = spawnProcess(
    process.execPath,
    ["--import", "tsx", "test/bench/soak-stub.ts"],
    { ...process.env, SOAK_TTFT_MS: String(TTFT_MS) },
    ROOT,
  );
  const stubUrl = (await stub.waitFor(/stub listening on (\S+)/, 60_000))[1]!;
  const c = await startCluster({
    directDatabase: true,
    env: {
      PROVIDERS_JSON: JSON.stringify([{ id: "stub", baseURL: stubUrl, apiKey: "sk-soak" }]),
      MODELS_JSON: JSON.stringify([
        { id: "soak", provider: "stub", upstream: "stub-slow", price: { input: 1, output: 2 } },
      ]),
      DEFAULT_MODEL: "soak",
      RATE_LIMIT_PER_MINUTE: "0",
      LOG_LEVEL: "error",
    },
  });
  console.log(
    `soak: cluster up (2 API processes, 2 workers, engine), load average ${loadavg()[0]!.toFixed(2)}`,
  );
  // The cluster's processes by the names every report uses.
  const named = [
    ...c.apis.map((a, i) => [`api${i}`, a] as const),
    ...c.workers.map((w, i) => [`worker${i}`, w] as const),
    ["engine", c.engine] as const,
  ];
  try {
    // Organizations, each with a knowledge base holding one document; users are spread over them.
    const orgs: { key: string; kbId: string }[] = [];
    for (let o = 0; o < ORGS; o++) {
      const t = await json(c, o % 2, "POST", "/v1/tenants", PLATFORM_KEY, { name: `Soak ${o}` });
      const key = t.body.key.key as string;
      const kb = await json(c, o % 2, "POST", "/v1/knowledge-bases", key, { name: "Docs" });
      const up = await send(
        `${c.apiUrls[o % 2]}/v1/knowledge-bases/${kb.body.id}/documents?filename=guide.txt`,
        {
          method: "POST",
          headers: { authorization: `Bearer ${key}`, "content-type": "text/plain" },
          body: `Soak guide ${o}. The lighthouse keeper counts ships at dawn and writes their names in the log.`,
        },
      );
      if (up.status !== 202) throw new Error(`seed upload: ${up.status} ${up.body}`);
      orgs.push({ key, kbId: kb.body.id });
    }

    const samples: Sample[] = [];
    const accepted: { org: number; id: string }[] = [];
    const rss: { t: number; [name: string]: number | null }[] = [];
    const startedAt = Date.now();
    // The wall clock of second 0, to line the run's slow seconds up with other logs (PostgreSQL's, say).
    console.log(`soak: second 0 is ${new Date(startedAt).toISOString()}`);
    const endAt = startedAt + RAMP_MS + MINUTES * 60_000;
    const processes = () => Object.fromEntries(named.map(([name, p]) => [name, p.child.pid]));
    // An API process or worker that dies mid-run says why (its exit code and last output), not just as
    // errors later.
    for (const [name, p] of named.filter(([name]) => name !== "engine")) {
      void p.exited.then((code) => {
        if (Date.now() < endAt)
          console.log(
            `soak: ${name} exited (${code}) at ${Math.round((Date.now() - startedAt) / 1000)} s:\n${p.output().slice(-2000)}`,
          );
      });
    }
    // PostgreSQL and Redis are the machine's own servers: other jobs using them are counted too.
    const SERVERS = ["postgres", "redis-server"];
    const cpuAtStart = cpuSnapshot({ ...processes(), stub: stub.child.pid }, SERVERS);
    // The load generator's own event-loop delay: when it stalls, every ask it is timing looks slower.
    const clientLoop = monitorEventLoopDelay({ resolution: 10 });
    clientLoop.enable();
    const sampler = setInterval(() => {
      const row: { t: number; [name: string]: number | null } = {
        t: Math.round((Date.now() - startedAt) / 1000),
      };
      for (const [name, pid] of Object.entries(processes())) row[name] = rssOf(pid);
      row.steal_ms = stealMs();
      rss.push(row);
    }, 5_000);

    let inFlight = 0;
    const ask = async (user: number) => {
      const org = orgs[user % ORGS]!;
      const api = Math.random() < 0.5 ? 0 : 1;
      const at = Date.now();
      inFlight++;
      try {
        const r = await send(`${c.apiUrls[api]}/v1/ask`, {
          method: "POST",
          headers: { authorization: `Bearer ${org.key}`, "content-type": "application/json" },
          body: JSON.stringify({ question: "Who counts ships at dawn?", knowledge_base_ids: [org.kbId] }),
          first: "event: delta",
        });
        const ok = r.status === 200 && r.body.includes("event: done") && !r.body.includes("event: error");
        const why = ok ? undefined : `${r.status} ${reasonOf(r.body)}`;
        samples.push({
          route: "POST /v1/ask",
          api,
          status: ok ? r.status : r.status === 200 ? 599 : r.status,
          firstMs: r.firstMs,
          totalMs: r.totalMs,
          at,
          ...(why ? { error: why } : {}),
        });
      } catch (err) {
        samples.push({
          route: "POST /v1/ask",
          api,
          status: 0,
          firstMs: null,
          totalMs: Date.now() - at,
          at,
          error: (err as Error).message,
        });
      } finally {
        inFlight--;
      }
    };
    const upload = async (user: number) => {
      const o = user % ORGS;
      const org = orgs[o]!;
      const api = Math.random() < 0.5 ? 0 : 1;
      const at = Date.now();
      try {
        const r = await send(
          `${c.apiUrls[api]}/v1/knowledge-bases/${org.kbId}/documents?filename=u${user}.txt`,
          {
            method: "POST",
            headers: { authorization: `Bearer ${org.key}`, "content-type": "text/plain" },
            body: `User ${user} notes: ship ${user * 31} passed the lighthouse at ${user % 24} o'clock.`,
          },
        );
        samples.push({
          route: "POST /v1/knowledge-bases/:id/documents",
          api,
          status: r.status,
          firstMs: r.firstMs,
          totalMs: r.totalMs,
          at,
        });
        if (r.status === 202) accepted.push({ org: o, id: JSON.parse(r.body).id });
      } catch (err) {
        samples.push({
          route: "POST /v1/knowledge-bases/:id/documents",
          api,
          status: 0,
          firstMs: null,
          totalMs: Date.now() - at,
          at,
          error: (err as Error).message,
        });
      }
    };
    // Every user: a first ask at a random moment of the first period, then one every period (± 10%);
    // with a ramp, user u joins at u/USERS of it, so the offered rate climbs to full over the ramp.
    const timers = new Set<NodeJS.Timeout>();
    const schedule = (user: number, delay: number) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (Date.now() >= endAt) return;
        void ask(user);
        schedule(user, ASK_EVERY_MS * (0.9 + Math.random() * 0.2));
      }, delay);
      timers.add(timer);
    };
    for (let u = 0; u < USERS; u++) schedule(u, (RAMP_MS * u) / USERS + Math.random() * ASK_EVERY_MS);
    for (let u = 0; u < UPLOADERS; u++) {
      const timer = setTimeout(() => void upload(u), Math.random() * (endAt - Date.now()) * 0.8);
      timers.add(timer);
    }
    const progress = setInterval(() => {
      const done = samples.length;
      const errs = samples.filter((s) => s.status !== 200 && s.status !== 202).length;
      console.log(
        `soak: ${Math.round((Date.now() - startedAt) / 1000)} s, ${done} requests, ${errs} errors, ${inFlight} in flight, load ${loadavg()[0]!.toFixed(2)}`,
      );
    }, 30_000);
    await new Promise((r) => setTimeout(r, endAt - Date.now()));
    for (const t of timers) clearTimeout(t);
    const cpuAtEnd = cpuSnapshot({ ...processes(), stub: stub.child.pid }, SERVERS);
    console.log(`soak: the stub provider's RSS at the end: ${rssOf(stub.child.pid)} MB`);
    const asksInWindow = samples.filter((s) => s.route === "POST /v1/ask").length;
    const spent = cpuPerUnit(cpuAtStart, cpuAtEnd, asksInWindow);
    const cpu = {
      ...spent,
      asks: asksInWindow,
      busy_cores: r1(spent.cpu_ms / (RAMP_MS + MINUTES * 60_000)),
    };
    console.log(`soak: CPU per completed ask (ms): ${JSON.stringify(cpu.per)}; total ${cpu.total}`);
    const drainDeadline = Date.now() + 90_000;
    while (inFlight > 0 && Date.now() < drainDeadline) await new Promise((r) => setTimeout(r, 200));
    clearInterval(progress);
    clearInterval(sampler);

    // Documents lost: accepted (202) but not ready within two minutes of the end.
    const lostDeadline = Date.now() + 120_000;
    let notReady = accepted;
    while (notReady.length > 0 && Date.now() < lostDeadline) {
      const states = await Promise.all(
        notReady.map(async (d) => ({
          d,
          r: await json(c, 0, "GET", `/v1/documents/${d.id}`, orgs[d.org]!.key),
        })),
      );
      notReady = states.filter((s) => s.r.body?.status !== "ready").map((s) => s.d);
      if (notReady.length) await new Promise((r) => setTimeout(r, 1000));
    }

    // The server's view: GET /v1/sla (platform-wide, last hour) once both request logs have flushed.
    // Each process writes its request log every second (later while the database is busy): wait until
    // neither has rows pending (its /metrics says), then read the server's view.
    const pending = async () => {
      let n = 0;
      for (const u of c.apiUrls) {
        const text = await (await fetch(`${u}/metrics`)).text();
        n += Number(/aihub_request_log_rows\{state="pending"\} (\d+)/.exec(text)?.[1] ?? 0);
      }
      return n;
    };
    const flushDeadline = Date.now() + 60_000;
    while ((await pending()) > 0 && Date.now() < flushDeadline) await new Promise((r) => setTimeout(r, 1000));
    const dropped: number[] = [];
    const stages: Record<string, { count: number; over_100ms: number; over_250ms: number; over_1s: number }> =
      {};
    for (const u of c.apiUrls) {
      const text = await (await fetch(`${u}/metrics`)).text();
      dropped.push(Number(/aihub_request_log_rows\{state="dropped"\} (\d+)/.exec(text)?.[1] ?? 0));
      // Cumulative buckets: over X = all − (le X).
      for (const m of text.matchAll(
        /aihub_search_stage_seconds_bucket\{le="([^"]+)",stage="([^"]+)"\} (\d+)/g,
      )) {
        const [, le, stage, n] = m as unknown as [string, string, string, string];
        stages[stage] ??= { count: 0, over_100ms: 0, over_250ms: 0, over_1s: 0 };
        const s = stages[stage];
        if (le === "+Inf") {
          s.count += Number(n);
          s.over_100ms += Number(n);
          s.over_250ms += Number(n);
          s.over_1s += Number(n);
        }
        if (le === "0.1") s.over_100ms -= Number(n);
        if (le === "0.25") s.over_250ms -= Number(n);
        if (le === "1") s.over_1s -= Number(n);
      }
    }
    console.log(`soak: request logs flushed (dropped by a full buffer: ${dropped.join(", ")})`);
    const sla = (await json(c, 0, "GET", "/v1/sla?scope=platform", PLATFORM_KEY)).body;
    const report = summarize({
      settings: { USERS, MINUTES, ASK_EVERY_MS, TTFT_MS, UPLOADERS, ORGS },
      samples,
      accepted: accepted.length,
      lost: notReady.length,
      rss,
      sla,
      cpu,
      startedAt,
      rampMs: RAMP_MS,
      load0,
      stages,
      clientLoopDelayMs: {
        p99: r1(clientLoop.percentile(99) / 1e6),
        max: r1(clientLoop.max / 1e6),
      },
    });
    mkdirSync(join(ROOT, "test/bench/results"), { recursive: true });
    writeFileSync(join(ROOT, "test/bench/results/soak.json"), `${JSON.stringify(report, null, 2)}\n`);
    // Every request (start time, status, ms to the first delta), for looking into one run's slow seconds.
    if (process.env.SOAK_SAMPLES_OUT) {
      writeFileSync(
        process.env.SOAK_SAMPLES_OUT,
        samples
          .map((x) =>
            JSON.stringify({ at: x.at - startedAt, api: x.api, status: x.status, firstMs: x.firstMs }),
          )
          .join("\n"),
      );
    }
    writeFileSync(join(ROOT, "test/bench/results/soak.md"), markdown(report));
    console.log(markdown(report));
  } finally {
    await c.close();
    // Every process's own output (with CLUSTER_NODE_FLAGS_<ROLE>=--trace-gc, its heap at every collection).
    const logDir = process.env.SOAK_LOG_DIR;
    if (logDir) {
      mkdirSync(logDir, { recursive: true });
      for (const [name, p] of named) writeFileSync(join(logDir, `${name}.log`), p.output());
    }
    await stop(stub);
    agent.destroy();
  }
}

/** The stable part of an error answer: its code and the start of its detail (problem+json or an SSE error). */
function reasonOf(body: string): string {
  const code = /"code":"([^"]+)"/.exec(body)?.[1];
  const detail = /"(?:detail|message)":"([^"]{0,60})/.exec(body)?.[1];
  return code ? `${code}${detail ? `: ${detail}` : ""}` : body.slice(0, 60);
}

main().catch((err) => {
  console.error("bench:soak failed:", err);
  process.exit(1);
});
