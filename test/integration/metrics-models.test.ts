import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AskTestApp, ask, seedGeography, startAskTestApp } from "../helpers/ask-app.js";

/** The value of one Prometheus sample line (`name{labels} value`), or 0 when the series is absent. */
function sample(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

/**
 * /metrics counts model calls, tokens and cost per model from the numbers the ledger row holds (issue 17,
 * SLA monitoring), so a dashboard agrees with /v1/usage; a failed call is counted under its status.
 */
describe("model-call metrics", () => {
  let a: AskTestApp;
  let geo: Awaited<ReturnType<typeof seedGeography>>;
  beforeAll(async () => {
    a = await startAskTestApp("pglite");
    geo = await seedGeography(a);
  });
  afterAll(async () => a?.close());

  it("counts calls, tokens, cost and time to first token by model, as the usage events say", async () => {
    const r = await ask(a.t, geo.adminKey, {
      question: "What is the capital of France?",
      knowledge_base_ids: [geo.kbId],
      models: ["alpha", "broken"],
    });
    expect(r.status).toBe(200);
    const usage = r.events.filter((e) => e.event === "usage").map((e) => e.data);
    const alpha = usage.find((u) => u.model === "alpha");
    const broken = usage.find((u) => u.model === "broken");
    expect(alpha.status).toBe("ok");
    expect(broken.status).not.toBe("ok");

    const m = (await a.t.call("GET", "/metrics", { key: null })).body as string;
    expect(sample(m, 'aihub_model_calls_total{model="alpha",status="ok"}')).toBe(1);
    expect(sample(m, `aihub_model_calls_total{model="broken",status="${broken.status}"}`)).toBe(1);
    expect(sample(m, 'aihub_model_tokens_total{model="alpha",direction="input"}')).toBe(alpha.input_tokens);
    expect(sample(m, 'aihub_model_tokens_total{model="alpha",direction="output"}')).toBe(alpha.output_tokens);
    expect(sample(m, 'aihub_model_cost_micros_total{model="alpha"}')).toBe(alpha.cost_micros);
    expect(alpha.cost_micros).toBeGreaterThan(0);
    expect(sample(m, 'aihub_model_ttft_seconds_count{model="alpha"}')).toBe(1);
  });
});
