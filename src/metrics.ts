import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";
import type { HttpMetrics } from "./context.js";

/** Prometheus metrics for the Node runtime; one registry per process (tests create their own). */
export function createHttpMetrics(): HttpMetrics & { registry: Registry } {
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
  return {
    registry,
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
