import { cpus, loadavg, totalmem } from "node:os";
import type { cpuPerUnit } from "./proc-cpu.js";
import { pct } from "./stats.js";

/** bench:soak's results: what the run saw, summarised (JSON) and as the markdown table of soak.md. */

export interface SoakSettings {
  USERS: number;
  MINUTES: number;
  ASK_EVERY_MS: number;
  TTFT_MS: number;
  UPLOADERS: number;
  ORGS: number;
}

export interface Sample {
  route: "POST /v1/ask" | "POST /v1/knowledge-bases/:id/documents";
  api: number;
  status: number;
  /** Time to the first `delta` event (asks), else to the response headers. */
  firstMs: number | null;
  totalMs: number;
  at: number;
  error?: string;
}

export const r1 = (x: number) => Math.round(x * 10) / 10;

export function summarize(input: {
  settings: SoakSettings;
  samples: Sample[];
  accepted: number;
  lost: number;
  rss: { t: number; [name: string]: number | null }[];
  sla: any;
  cpu: ReturnType<typeof cpuPerUnit> & { asks: number; busy_cores: number };
  startedAt: number;
  rampMs?: number;
  load0: number[];
  /** Both API processes' `aihub_search_stage_seconds` at the end: how many of each step took long. */
  stages?: Record<string, { count: number; over_100ms: number; over_250ms: number; over_1s: number }>;
  /** The load generator's event-loop delay over the run. */
  clientLoopDelayMs?: { p99: number; max: number };
}) {
  const { samples, rss, sla } = input;
  const { TTFT_MS, ORGS, USERS, MINUTES, ASK_EVERY_MS, UPLOADERS } = input.settings;
  const asks = samples.filter((s) => s.route === "POST /v1/ask");
  const errors = samples.filter((s) => s.status !== 200 && s.status !== 202);
  const firsts = asks.filter((s) => s.firstMs !== null).map((s) => s.firstMs! - TTFT_MS);
  // The same figure per minute of the run (by when the ask was sent): a cold start or a stall shows
  // as one bad minute, a machine out of capacity as all of them.
  const perMinute: { minute: number; asks: number; p99: number | null }[] = [];
  const runMs = (input.rampMs ?? 0) + MINUTES * 60_000;
  for (let m = 0; m < Math.ceil(runMs / 60_000); m++) {
    const from = input.startedAt + m * 60_000;
    const inMinute = asks.filter((s) => s.firstMs !== null && s.at >= from && s.at < from + 60_000);
    perMinute.push({
      minute: m + 1,
      asks: inMinute.length,
      p99: inMinute.length
        ? r1(
            pct(
              inMinute.map((s) => s.firstMs! - TTFT_MS),
              99,
            ),
          )
        : null,
    });
  }
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
  // Steal: the hypervisor's share of the run, and the worst 5 s window of it.
  const steals = rss.map((r) => r.steal_ms ?? null);
  const stealWindows = steals.slice(1).flatMap((x, i) => {
    const prev = steals[i];
    return x === null || prev === null || prev === undefined ? [] : [{ t: rss[i + 1]!.t, ms: x - prev }];
  });
  const worstSteal = stealWindows.reduce((a, b) => (b.ms > a.ms ? b : a), { t: 0, ms: 0 });
  const steal = stealWindows.length
    ? {
        total_s: r1(stealWindows.reduce((a, b) => a + b.ms, 0) / 1000),
        worst_5s_window: { at_s: worstSteal.t, cpu_s: r1(worstSteal.ms / 1000) },
      }
    : null;
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
      steal,
    },
    settings: {
      users: USERS,
      minutes: MINUTES,
      ask_every_s: ASK_EVERY_MS / 1000,
      uploaders: UPLOADERS,
      orgs: ORGS,
      stub_ttft_ms: TTFT_MS,
      ramp_s: (input.rampMs ?? 0) / 1000,
    },
    requests: samples.length,
    asks: asks.length,
    asks_per_second: r1(asks.length / (runMs / 1000)),
    errors: errors.length,
    error_rate: samples.length ? errors.length / samples.length : null,
    errors_by_kind: errorCodes,
    documents: { accepted: input.accepted, lost: input.lost },
    added_before_first_token_ms: {
      client: { p50: r1(pct(firsts, 50)), p95: r1(pct(firsts, 95)), p99: r1(pct(firsts, 99)) },
      client_p99_per_minute: perMinute,
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
    search_stages: input.stages ?? null,
    client_event_loop_delay_ms: input.clientLoopDelayMs ?? null,
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

export function markdown(r: ReturnType<typeof summarize>): string {
  const g = r.rss_mb.last_half;
  return `# bench:soak

${r.settings.users} users (one ask every ~${r.settings.ask_every_s} s each${r.settings.ramp_s ? `, joining over the first ${r.settings.ramp_s} s, then all of them` : ""}, ${r.settings.uploaders} also upload once) for ${r.settings.minutes} min against 2 API processes and 2 workers (PostgreSQL, Redis, the engine standing in for Qdrant), stub provider TTFT ${r.settings.stub_ttft_ms} ms. Machine: ${r.machine.cpus} × ${r.machine.cpu}, ${r.machine.memory_gb} GB; load average before ${r.machine.load_average_before.join(" ")}, after ${r.machine.load_average_after.join(" ")}${r.machine.steal ? `; CPU stolen by the hypervisor ${r.machine.steal.total_s} s in all, at most ${r.machine.steal.worst_5s_window.cpu_s} s in one 5 s window (second ${r.machine.steal.worst_5s_window.at_s})` : ""}.

| Measure | Result | Target |
|---|---|---|
| Documents lost | ${r.documents.lost} of ${r.documents.accepted} accepted | 0 |
| Error rate | ${r.error_rate === null ? "n/a" : `${(r.error_rate * 100).toFixed(3)}%`} (${r.errors} of ${r.requests}; ${JSON.stringify(r.errors_by_kind)}) | < 0.1% |
| Asks per second | ${r.asks_per_second} | ${r1(r.settings.users / r.settings.ask_every_s)} offered |
| Added before first token, client p50/p95/p99 | ${r.added_before_first_token_ms.client.p50} / ${r.added_before_first_token_ms.client.p95} / ${r.added_before_first_token_ms.client.p99} ms | p99 ≤ 250 ms |
| Added before first token, client p99 per minute of the run | ${r.added_before_first_token_ms.client_p99_per_minute.map((m) => m.p99).join(" / ")} ms | |
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
| Retrieval steps over 100 ms / 250 ms / 1 s, of all (server side, \`aihub_search_stage_seconds\`) | ${Object.entries(
    r.search_stages ?? {},
  )
    .map(([k, v]) => `${k} ${v.over_100ms} / ${v.over_250ms} / ${v.over_1s} of ${v.count}`)
    .join("; ")} | |
| Ask latency (client, to first delta) vs /v1/sla (to headers) | client p50 ${r.sla_vs_client.client_ask_latency_ms.p50}, p99 ${r.sla_vs_client.client_ask_latency_ms.p99} ms; SLA ${JSON.stringify(r.sla_vs_client.sla_ask_latency_ms)} | |
${r.client_event_loop_delay_ms ? `| The load generator's event-loop delay (p99 / max) | ${r.client_event_loop_delay_ms.p99} / ${r.client_event_loop_delay_ms.max} ms | |\n` : ""}`;
}
