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
  const pluginInstalls = new Counter({
    name: "plugin_installs_total",
    help: "Plugin installs by outcome (success, failure)",
    labelNames: ["outcome"],
    registers: [registry],
  });
  return {
    registry,
    countPluginInstall: (outcome) => pluginInstalls.inc({ outcome }),
    observeRequest: (method, route, status, seconds) =>
      duration.observe({ method, route, status: String(status) }, seconds),
    render: async () => ({ contentType: registry.contentType, body: await registry.metrics() }),
  };
}
