import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { HttpMetrics } from "./context.js";

/** Counts read from the database when Prometheus scrapes (all tenants): documents by status and failure code. */
export interface DocumentCounts {
  byStatus(): Promise<{ status: string; errorCode: string | null; count: number }[]>;
}

/** Prometheus metrics for the Node runtime; one registry per process (tests create their own). */
export function createHttpMetrics(
  opts: { documents?: DocumentCounts } = {},
): HttpMetrics & { registry: Registry } {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP request duration by method, route and status",
    labelNames: ["method", "route", "status"],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  // Model calls, from the same numbers the ledger row holds, so a dashboard and /v1/usage agree.
  const calls = new Counter({
    name: "aihub_model_calls_total",
    help: "Model calls by model and outcome (ok, error, aborted, ...)",
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
    help: "Requests answered with an error body, by stable code and status (quota_exceeded, budget_exceeded, rate_limited, ...)",
    labelNames: ["code", "status"],
    registers: [registry],
  });
  const { documents } = opts;
  if (documents) {
    // Read at scrape time rather than counted in process: several API processes and workers change
    // documents, and the database is the one place that knows them all.
    // One query per scrape feeds both gauges (the registry collects them concurrently).
    let last: { at: number; rows: ReturnType<DocumentCounts["byStatus"]> } | null = null;
    const rows = () => {
      if (!last || Date.now() - last.at > 1000) last = { at: Date.now(), rows: documents.byStatus() };
      return last.rows;
    };
    const versions: Gauge<"status"> = new Gauge({
      name: "aihub_document_versions",
      help: "Document versions by status (queued, processing, ready, failed)",
      labelNames: ["status"],
      registers: [registry],
      async collect() {
        versions.reset();
        // Every status is a series, at 0 when empty, so an alert on "failed" or "processing" has data.
        for (const status of ["queued", "processing", "ready", "failed"]) versions.set({ status }, 0);
        for (const r of await rows()) versions.inc({ status: r.status }, r.count);
      },
    });
    const failures: Gauge<"code"> = new Gauge({
      name: "aihub_document_failures",
      help: "Failed document versions by error code",
      labelNames: ["code"],
      registers: [registry],
      async collect() {
        failures.reset();
        for (const r of await rows()) {
          if (r.status === "failed") failures.inc({ code: r.errorCode ?? "unknown" }, r.count);
        }
      },
    });
  }
  return {
    registry,
    observeError: (code, status) => errors.inc({ code, status: String(status) }),
    observeRequest: (method, route, status, seconds) =>
      duration.observe({ method, route, status: String(status) }, seconds),
    observeModelCall: (c) => {
      calls.inc({ model: c.model, status: c.status });
      tokens.inc({ model: c.model, direction: "input" }, c.inputTokens);
      tokens.inc({ model: c.model, direction: "output" }, c.outputTokens);
      cost.inc({ model: c.model }, c.costMicros);
      if (c.ttftMs !== null) ttft.observe({ model: c.model }, c.ttftMs / 1000);
    },
    render: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  };
}
