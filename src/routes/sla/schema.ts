import { z } from "@hono/zod-openapi";
import type { Percentiles, WindowSla } from "../../services/sla/report.js";

export const SlaQuery = z.object({
  scope: z.enum(["organization", "platform"]).default("organization").openapi({
    description:
      "`organization` (default): the caller's organization. `platform`: every organization (platform administrator only).",
  }),
});

const Latency = z
  .object({ p50: z.number().nullable(), p95: z.number().nullable(), p99: z.number().nullable() })
  .openapi("SlaPercentiles", { description: "Milliseconds; null when the window has no sample." });

const rate = z.number().nullable().openapi({
  description: "Share of successes from 0 to 1; null when there was no traffic.",
  example: 0.9995,
});

export const SlaWindow = z
  .object({
    window: z.string().openapi({ example: "24h" }),
    from: z.string().openapi({ description: "Start of the window (UTC); it ends now." }),
    requests: z.number().int(),
    errors: z.number().int().openapi({ description: "Answers with a 5xx status." }),
    success_rate: rate,
    routes: z.array(
      z.object({
        method: z.string(),
        route: z.string().openapi({ example: "/v1/knowledge-bases/:id" }),
        requests: z.number().int(),
        errors: z.number().int(),
        success_rate: rate,
        latency_ms: Latency.openapi({
          description: "Time to the response's start (for streams, its headers).",
        }),
      }),
    ),
    models: z.array(
      z.object({
        model: z.string(),
        calls: z.number().int(),
        failed: z.number().int(),
        success_rate: rate,
        latency_ms: Latency,
        ttft_ms: Latency.openapi({ description: "Time to the model's first token." }),
      }),
    ),
  })
  .openapi("SlaWindow");

export const SlaResponse = z
  .object({
    scope: z.enum(["organization", "platform"]),
    organization_id: z.string().nullable(),
    generated_at: z.string(),
    windows: z.array(SlaWindow),
  })
  .openapi("Sla");

const rateOf = (n: number, bad: number) => (n === 0 ? null : Math.round(((n - bad) / n) * 1e6) / 1e6);
const lat = (p: Percentiles) => ({ p50: p.p50, p95: p.p95, p99: p.p99 });

export function toWindow(w: WindowSla): z.infer<typeof SlaWindow> {
  return {
    window: w.window,
    from: w.from.toISOString(),
    requests: w.requests,
    errors: w.errors,
    success_rate: rateOf(w.requests, w.errors),
    routes: w.routes.map((r) => ({
      method: r.method,
      route: r.route,
      requests: r.requests,
      errors: r.errors,
      success_rate: rateOf(r.requests, r.errors),
      latency_ms: lat(r.latencyMs),
    })),
    models: w.models.map((m) => ({
      model: m.model,
      calls: m.calls,
      failed: m.failed,
      success_rate: rateOf(m.calls, m.failed),
      latency_ms: lat(m.latencyMs),
      ttft_ms: lat(m.ttftMs),
    })),
  };
}
