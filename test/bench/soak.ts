/**
 * bench:soak — SOAK_USERS simulated users (default 10,000) against 2 API processes and 2 workers for
 * SOAK_MINUTES (default 10), with a stub provider whose first token comes after SOAK_TTFT_MS (50).
 * Each user asks about every 30 s (SOAK_ASK_EVERY_S), streamed, on a random one of the two API processes;
 * SOAK_UPLOADERS of them (default 1%) also upload one small document at a random moment. Reports
 * documents lost (accepted uploads not ready at the end), the error rate, the p99 latency added before
 * the model's first token (client time to the first delta minus the stub's delay; and server-side ttft
 * minus the delay), RSS of every process over time (growth over the last half), and GET /v1/sla against
 * this client's own request log. Writes test/bench/results/soak.json and soak.md.
 */
// First: stops on a Node too old to run the rest (see node-check.ts).
import "../../src/node-check.js";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { Agent, request } from "node:http";
import { cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import { PLATFORM_KEY } from "../helpers/app.js";
import { type Cluster, startCluster, stop } from "../helpers/cluster.js";
import { spawnProcess } from "../helpers/process.js";
import { cpuPerUnit, cpuSnapshot } from "./proc-cpu.js";
import { pct } from "./stats.js";

const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
const USERS = Number(process.env.SOAK_USERS ?? 10_000);
const ASK_EVERY_MS = Number(process.env.SOAK_ASK_EVERY_S ?? 30) * 1000;
const TTFT_MS = Number(process.env.SOAK_TTFT_MS ?? 50);
const UPLOADERS = Number(process.env.SOAK_UPLOADERS ?? Math.ceil(USERS / 100));
const ORGS = Number(process.env.SOAK_ORGS ?? 20);
const ROOT = join(import.meta.dirname, "../..");

/**
 * Keep-alive pools: 10,000 users are mostly timers; what they share is a few hundred connections per
 * API process (node:http's Agent; the same pooling undici's Agent gives, without a new dependency).
 */
const agent = new Agent({ keepAlive: true, maxSockets: 256, maxFreeSockets: 256 });

interface Sample {
  route: "POST /v1/ask" | "POST /v1/knowledge-bases/:id/documents";
  api: number;
  status: number;
  /** Time to the first `delta` event (asks), else to the response headers. */
  firstMs: number | null;
  totalMs: number;
  at: number;
  error?: string;
}

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

const rssMb = (pid: number | undefined) => {
  try {
    return Math.round(
      Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))![1]) / 1024,
    );
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
    const endAt = startedAt + MINUTES * 60_000;
    const processes = () => ({
      api0: c.apis[0]!.child.pid,
      api1: c.apis[1]!.child.pid,
      worker0: c.workers[0]!.child.pid,
      worker1: c.workers[1]!.child.pid,
      engine: c.engine.child.pid,
    });
    // A process that dies mid-run says why (its exit code and last output), not just as errors later.
    for (const [name, p] of [
      ...c.apis.map((a, i) => [`api${i}`, a] as const),
      ...c.workers.map((w, i) => [`worker${i}`, w] as const),
    ]) {
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
    const sampler = setInterval(() => {
      const row: { t: number; [name: string]: number | null } = {
        t: Math.round((Date.now() - startedAt) / 1000),
      };
      for (const [name, pid] of Object.entries(processes())) row[name] = rssMb(pid);
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
    // Every user: a first ask at a random moment of the first period, then one every period (± 10%).
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
    for (let u = 0; u < USERS; u++) schedule(u, Math.random() * ASK_EVERY_MS);
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
    const asksInWindow = samples.filter((s) => s.route === "POST /v1/ask").length;
    const spent = cpuPerUnit(cpuAtStart, cpuAtEnd, asksInWindow);
    const cpu = {
      ...spent,
      asks: asksInWindow,
      busy_cores: r1(spent.cpu_ms / (MINUTES * 60_000)),
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
    for (const u of c.apiUrls) {
      const text = await (await fetch(`${u}/metrics`)).text();
      dropped.push(Number(/aihub_request_log_rows\{state="dropped"\} (\d+)/.exec(text)?.[1] ?? 0));
    }
    console.log(`soak: request logs flushed (dropped by a full buffer: ${dropped.join(", ")})`);
    const sla = (await json(c, 0, "GET", "/v1/sla?scope=platform", PLATFORM_KEY)).body;
    const report = summarize({
      samples,
      accepted: accepted.length,
      lost: notReady.length,
      rss,
      sla,
      cpu,
      startedAt,
      load0,
    });
    mkdirSync(join(ROOT, "test/bench/results"), { recursive: true });
    writeFileSync(join(ROOT, "test/bench/results/soak.json"), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(join(ROOT, "test/bench/results/soak.md"), markdown(report));
    console.log(markdown(report));
  } finally {
    await c.close();
    await stop(stub);
    agent.destroy();
  }
}

const r1 = (x: number) => Math.round(x * 10) / 10;

/** The stable part of an error answer: its code and the start of its detail (problem+json or an SSE error). */
function reasonOf(body: string): string {
  const code = /"code":"([^"]+)"/.exec(body)?.[1];
  const detail = /"(?:detail|message)":"([^"]{0,60})/.exec(body)?.[1];
  return code ? `${code}${detail ? `: ${detail}` : ""}` : body.slice(0, 60);
}

function summarize(input: {
  samples: Sample[];
  accepted: number;
  lost: number;
  rss: { t: number; [name: string]: number | null }[];
  sla: any;
  cpu: ReturnType<typeof cpuPerUnit> & { asks: number; busy_cores: number };
  startedAt: number;
  load0: number[];
}) {
  const { samples, rss, sla } = input;
  const asks = samples.filter((s) => s.route === "POST /v1/ask");
  const errors = samples.filter((s) => s.status !== 200 && s.status !== 202);
  const firsts = asks.filter((s) => s.firstMs !== null).map((s) => s.firstMs! - TTFT_MS);
  const hour = sla?.windows?.[0];
  const serverRoute = (method: string, route: string) =>
    hour?.routes?.find((r: any) => r.method === method && r.route === route) ?? null;
  const serverAsk = serverRoute("POST", "/v1/ask");
  const serverUpload = serverRoute("POST", "/v1/knowledge-bases/:id/documents");
  const model = hour?.models?.find((m: any) => m.model === "soak") ?? null;
  // RSS growth over the last half of the run, per process: last sample against the one at half time.
  const half = rss.filter((r) => r.t >= (rss.at(-1)?.t ?? 0) / 2);
  const growth: Record<
    string,
    { at_half_mb: number | null; end_mb: number | null; growth_pct: number | null }
  > = {};
  for (const name of ["api0", "api1", "worker0", "worker1", "engine"]) {
    const a = half[0]?.[name] ?? null;
    const b = half.at(-1)?.[name] ?? null;
    growth[name] = { at_half_mb: a, end_mb: b, growth_pct: a && b ? r1(((b - a) / a) * 100) : null };
  }
  const errorCodes: Record<string, number> = {};
  for (const e of errors)
    errorCodes[e.error ?? String(e.status)] = (errorCodes[e.error ?? String(e.status)] ?? 0) + 1;
  return {
    machine: {
      cpus: cpus().length,
      cpu: cpus()[0]?.model,
      memory_gb: r1(totalmem() / 2 ** 30),
      load_average_before: input.load0.map(r1),
      load_average_after: loadavg().map(r1),
    },
    settings: {
      users: USERS,
      minutes: MINUTES,
      ask_every_s: ASK_EVERY_MS / 1000,
      uploaders: UPLOADERS,
      orgs: ORGS,
      stub_ttft_ms: TTFT_MS,
    },
    requests: samples.length,
    asks: asks.length,
    asks_per_second: r1(asks.length / (MINUTES * 60)),
    errors: errors.length,
    error_rate: samples.length ? errors.length / samples.length : null,
    errors_by_kind: errorCodes,
    documents: { accepted: input.accepted, lost: input.lost },
    added_before_first_token_ms: {
      client: { p50: r1(pct(firsts, 50)), p95: r1(pct(firsts, 95)), p99: r1(pct(firsts, 99)) },
      server_ttft_minus_stub: model
        ? {
            p50: r1(model.ttft_ms.p50 - TTFT_MS),
            p95: r1(model.ttft_ms.p95 - TTFT_MS),
            p99: r1(model.ttft_ms.p99 - TTFT_MS),
          }
        : null,
    },
    rss_mb: { samples: rss, last_half: growth },
    cpu_per_ask_ms: input.cpu,
    sla_vs_client: {
      ask: {
        client_requests: asks.length,
        sla_requests: serverAsk?.requests ?? null,
        client_5xx: asks.filter((s) => s.status >= 500 && s.status < 599).length,
        sla_errors: serverAsk?.errors ?? null,
      },
      // The seeding uploaded one document per organization before the clock started.
      upload: {
        client_requests: samples.length - asks.length + ORGS,
        sla_requests: serverUpload?.requests ?? null,
      },
      model_calls: {
        client_ok_asks: asks.filter((s) => s.status === 200).length,
        sla_model_calls: model?.calls ?? null,
        sla_model_failed: model?.failed ?? null,
      },
      client_ask_latency_ms: {
        p50: r1(
          pct(
            asks.map((s) => s.firstMs ?? s.totalMs),
            50,
          ),
        ),
        p99: r1(
          pct(
            asks.map((s) => s.firstMs ?? s.totalMs),
            99,
          ),
        ),
      },
      sla_ask_latency_ms: serverAsk?.latency_ms ?? null,
    },
  };
}

function markdown(r: ReturnType<typeof summarize>): string {
  const g = r.rss_mb.last_half;
  return `# bench:soak

${r.settings.users} users (one ask every ~${r.settings.ask_every_s} s each, ${r.settings.uploaders} also upload once) for ${r.settings.minutes} min against 2 API processes and 2 workers (PostgreSQL, Redis, the engine standing in for Qdrant), stub provider TTFT ${r.settings.stub_ttft_ms} ms. Machine: ${r.machine.cpus} × ${r.machine.cpu}, ${r.machine.memory_gb} GB; load average before ${r.machine.load_average_before.join(" ")}, after ${r.machine.load_average_after.join(" ")}.

| Measure | Result | Target |
|---|---|---|
| Documents lost | ${r.documents.lost} of ${r.documents.accepted} accepted | 0 |
| Error rate | ${r.error_rate === null ? "n/a" : `${(r.error_rate * 100).toFixed(3)}%`} (${r.errors} of ${r.requests}; ${JSON.stringify(r.errors_by_kind)}) | < 0.1% |
| Asks per second | ${r.asks_per_second} | ${r1(r.settings.users / r.settings.ask_every_s)} offered |
| Added before first token, client p50/p95/p99 | ${r.added_before_first_token_ms.client.p50} / ${r.added_before_first_token_ms.client.p95} / ${r.added_before_first_token_ms.client.p99} ms | p99 ≤ 250 ms |
| Server ttft − stub p50/p95/p99 | ${r.added_before_first_token_ms.server_ttft_minus_stub ? Object.values(r.added_before_first_token_ms.server_ttft_minus_stub).join(" / ") : "n/a"} ms | |
| RSS growth over the last half (api0, api1, worker0, worker1, engine) | ${Object.values(g)
    .map((x) => `${x.at_half_mb}→${x.end_mb} MB (${x.growth_pct}%)`)
    .join(", ")} | ≤ 10% |
| /v1/sla vs client log: asks | SLA ${r.sla_vs_client.ask.sla_requests} requests, ${r.sla_vs_client.ask.sla_errors} 5xx; client ${r.sla_vs_client.ask.client_requests}, ${r.sla_vs_client.ask.client_5xx} 5xx | equal |
| /v1/sla vs client log: uploads (with the seed's) | SLA ${r.sla_vs_client.upload.sla_requests}; client ${r.sla_vs_client.upload.client_requests} | equal |
| /v1/sla model calls vs asks answered | SLA ${r.sla_vs_client.model_calls.sla_model_calls} (${r.sla_vs_client.model_calls.sla_model_failed} failed); client ${r.sla_vs_client.model_calls.client_ok_asks} | equal |
| CPU per ask completed during the run (ms; all processes, ${r.cpu_per_ask_ms.asks} asks; ${r.cpu_per_ask_ms.busy_cores} cores busy on average) | ${Object.entries(
    r.cpu_per_ask_ms.per,
  )
    .map(([k, v]) => `${k} ${v}`)
    .join(
      ", ",
    )}; **total ${r.cpu_per_ask_ms.total}** | ${r1(2000 / (r.settings.users / r.settings.ask_every_s))} ms fits ${r1(r.settings.users / r.settings.ask_every_s)} asks/s on 2 cores |
| Ask latency (client, to first delta) vs /v1/sla (to headers) | client p50 ${r.sla_vs_client.client_ask_latency_ms.p50}, p99 ${r.sla_vs_client.client_ask_latency_ms.p99} ms; SLA ${JSON.stringify(r.sla_vs_client.sla_ask_latency_ms)} | |
`;
}

main().catch((err) => {
  console.error("bench:soak failed:", err);
  process.exit(1);
});
