import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";
import type { HttpMetrics } from "./context.js";
import { registerScrapeGauges, type ScrapeSources } from "./ops/scrape-gauges.js";

/** Codes of the refusals an operator watches: plans, budgets, wallets and rate limits (issue 17). */
const REFUSALS = new Set([
  "quota_exceeded",
  "budget_exceeded",
  "insufficient_funds",
  "payment_required",
  "rate_limited",
  "cap_reached",
]);

/**
 * prom-client throws on a negative or non-finite increment; a metric must never take a request (or a
 * stream's async hook, where a throw becomes an unhandled rejection) down with it, so every observation
 * goes through here: bad values are dropped, and any throw is swallowed.
 */
function guard(fn: () => void) {
  try {
    fn();
  } catch {
    // A metric is not worth an answer.
  }
}
const ok = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v) && v >= 0;

/**
 * Prometheus metrics for the Node runtime; one registry per process (tests create their own). Counters
 * kept in process (requests, model calls, errors) are per process, as Prometheus expects; documents and
 * the queue are read from the shared database and Redis at scrape (ops/scrape-gauges.ts), so every API
 * process reports the same totals (alert rules take `max` over instances).
 */
export function createHttpMetrics(sources: ScrapeSources = {}): HttpMetrics & { registry: Registry } {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP request duration by method, route and status",
    labelNames: ["method", "route", "status"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const pluginInstalls = new Counter({
    name: "plugin_installs_total",
    help: "Plugin installs by outcome (success, failure)",
    labelNames: ["outcome"],
    registers: [registry],
  });
  // Model calls, from the same numbers the ledger row holds, so a dashboard and /v1/usage agree.
  const calls = new Counter({
    name: "aihub_model_calls_total",
    help: "Model calls by model and outcome (ok, failed, aborted, cut_off)",
    labelNames: ["model", "status"],
    registers: [registry],
  });
  const tokens = new Counter({
    name: "aihub_model_tokens_total",
    help: "Tokens billed by model and direction (input, output)",
    labelNames: ["model", "direction"],
    registers: [registry],
  });
  const cost = new Counter({
    name: "aihub_model_cost_micros_total",
    help: "Provider cost in micro-dollars by model",
    labelNames: ["model"],
    registers: [registry],
  });
  const ttft = new Histogram({
    name: "aihub_model_ttft_seconds",
    help: "Time from the call to the model's first token, by model",
    labelNames: ["model"],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16],
    registers: [registry],
  });
  const errors = new Counter({
    name: "aihub_errors_total",
    help: "Requests answered with an error body, by stable code and status",
    labelNames: ["code", "status"],
    registers: [registry],
  });
  const refusals = new Counter({
    name: "aihub_refusals_total",
    help: "Requests refused by a plan quota, a budget, the wallet or a rate limit, by code",
    labelNames: ["code"],
    registers: [registry],
  });
  // Where a search's time goes, per step (services/search/search.ts): a slow ask's time to its first
  // token is this plus the model's, so an operator can tell the database, the vector store and the
  // provider apart without a profiler.
  const searchStages = new Histogram({
    name: "aihub_search_stage_seconds",
    help: "Duration of each step of a search or ask's retrieval: knowledge_bases, vector_query, search (all)",
    labelNames: ["stage"],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  registerScrapeGauges(registry, sources);
  return {
    registry,
    countPluginInstall: (outcome) => guard(() => pluginInstalls.inc({ outcome })),
    observeSearchStage: (stage, seconds) =>
      guard(() => {
        if (ok(seconds)) searchStages.observe({ stage }, seconds);
      }),
    observeRequest: (method, route, status, seconds) =>
      guard(() => {
        if (ok(seconds)) duration.observe({ method, route, status: String(status) }, seconds);
      }),
    observeModelCall: (c) =>
      guard(() => {
        calls.inc({ model: c.model, status: c.status });
        if (ok(c.inputTokens)) tokens.inc({ model: c.model, direction: "input" }, c.inputTokens);
        if (ok(c.outputTokens)) tokens.inc({ model: c.model, direction: "output" }, c.outputTokens);
        if (ok(c.costMicros)) cost.inc({ model: c.model }, c.costMicros);
        if (ok(c.ttftMs)) ttft.observe({ model: c.model }, c.ttftMs / 1000);
      }),
    observeError: (code, status) =>
      guard(() => {
        errors.inc({ code, status: String(status) });
        if (REFUSALS.has(code)) refusals.inc({ code });
      }),
    render: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  };
}
