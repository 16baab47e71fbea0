import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentVersions } from "../../src/db/schema.js";
import { createHttpMetrics } from "../../src/metrics.js";
import { createRequestLog } from "../../src/ops/request-log.js";
import { documentStatusCounts } from "../../src/services/documents/status-counts.js";
import { PLATFORM_KEY } from "../helpers/app.js";
import { type AskTestApp, ask, seedGeography, startAskTestApp } from "../helpers/ask-app.js";

/** The value of one Prometheus sample line (`name{labels} value`), or 0 when the series is absent. */
function sample(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

/**
 * Issue 17, SLA monitoring: GET /v1/sla from the request log and the usage ledger, per organization and
 * platform-wide; /metrics counts model calls, tokens, cost, time to first token, errors and refusals
 * from the numbers the ledger holds, and documents by status from the database.
 */
describe("SLA and metrics", () => {
  let a: AskTestApp;
  let geo: Awaited<ReturnType<typeof seedGeography>>;
  let other: Awaited<ReturnType<typeof seedGeography>>;
  let log: ReturnType<typeof createRequestLog>;
  beforeAll(async () => {
    a = await startAskTestApp("postgres");
    log = createRequestLog({
      db: a.t.deps.database.db,
      logger: a.t.deps.logger,
      retentionDays: 31,
      intervalMs: 60_000,
    });
    a.t.deps.requestLog = log;
    a.t.deps.metrics = createHttpMetrics({
      documents: () => documentStatusCounts(a.t.deps.database.db),
      readiness: a.t.deps.readiness,
    });
    geo = await seedGeography(a);
    other = await seedGeography(a, "Other");
  });
  afterAll(async () => {
    await log?.close();
    await a?.close();
  });

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
    // The ask's retrieval, step by step: one observation each, and the whole is no shorter than a part.
    for (const stage of ["knowledge_bases", "vector_query", "search"])
      expect(sample(m, `aihub_search_stage_seconds_count{stage="${stage}"}`), stage).toBe(1);
    const sum = (stage: string) => sample(m, `aihub_search_stage_seconds_sum{stage="${stage}"}`);
    expect(sum("search")).toBeGreaterThan(0);
    expect(sum("search")).toBeGreaterThanOrEqual(sum("vector_query"));
    expect(sum("search")).toBeGreaterThanOrEqual(sum("knowledge_bases"));
  });

  it("counts error answers by code, refusals, components, and document versions by status", async () => {
    expect((await a.t.call("GET", "/v1/knowledge-bases/kb_missing", { key: geo.adminKey })).status).toBe(404);
    const versions = await a.t.deps.database.db.select().from(documentVersions);
    const ready = versions.filter((v) => v.status === "ready").length;
    expect(ready).toBeGreaterThan(0);

    const m = (await a.t.call("GET", "/metrics", { key: null })).body as string;
    expect(sample(m, 'aihub_errors_total{code="not_found",status="404"}')).toBe(1);
    expect(sample(m, 'aihub_documents{status="ready"}')).toBe(ready);
    expect(sample(m, 'aihub_documents{status="processing"}')).toBe(0);
    expect(sample(m, 'aihub_component_up{component="database"}')).toBe(1);
    expect(sample(m, 'aihub_scrape_source_up{source="documents"}')).toBe(1);
    console.log(`metrics: ready=${ready}, not_found=1, model calls and ttft as the ledger`);
  });

  it("a bad value never throws out of an observer (the reverted attempt's failure)", () => {
    const metrics = createHttpMetrics();
    expect(() =>
      metrics.observeModelCall?.({
        model: "x",
        status: "ok",
        inputTokens: Number.NaN,
        outputTokens: -3,
        costMicros: Number.POSITIVE_INFINITY,
        ttftMs: -1,
      }),
    ).not.toThrow();
    expect(() => metrics.observeRequest("GET", "/", 200, Number.NaN)).not.toThrow();
  });

  it("GET /v1/sla: the organization's routes and models over 1 h, 24 h and 30 d; platform-wide for the platform", async () => {
    // Known traffic for the other organization: 3 searches and one 404.
    for (let i = 0; i < 3; i++) {
      const s = await a.t.call("POST", "/v1/search", {
        key: other.adminKey,
        body: { query: "Warsaw", knowledge_base_ids: [other.kbId] },
      });
      expect(s.status).toBe(200);
    }
    await a.t.call("GET", "/v1/knowledge-bases/kb_nope", { key: other.adminKey });
    // Answered by the auth middleware: still logged under the route's template, not "/v1/*".
    expect((await a.t.call("POST", "/v1/search", { key: "aih_not_a_key", body: {} })).status).toBe(401);
    await log.flush();

    const mine = await a.t.call("GET", "/v1/sla", { key: other.adminKey });
    expect(mine.status).toBe(200);
    expect(mine.body.scope).toBe("organization");
    expect(mine.body.windows.map((w: { window: string }) => w.window)).toEqual(["1h", "24h", "30d"]);
    const hour = mine.body.windows[0];
    const search = hour.routes.find((r: { route: string }) => r.route === "/v1/search");
    expect(search).toMatchObject({ method: "POST", requests: 3, errors: 0, success_rate: 1 });
    expect(search.latency_ms.p50).toBeGreaterThanOrEqual(0);
    expect(search.latency_ms.p99).toBeGreaterThanOrEqual(search.latency_ms.p50);
    // The 404 is the caller's: served, not a failure.
    const get = hour.routes.find((r: { route: string }) => r.route === "/v1/knowledge-bases/:id");
    expect(get).toMatchObject({ requests: 1, errors: 0 });
    // Nothing of the first organization (its ask) shows here.
    expect(hour.routes.some((r: { route: string }) => r.route === "/v1/ask")).toBe(false);
    expect(hour.models).toEqual([]);

    const geoSla = await a.t.call("GET", "/v1/sla", { key: geo.adminKey });
    const alpha = geoSla.body.windows[0].models.find((m: { model: string }) => m.model === "alpha");
    expect(alpha).toMatchObject({ calls: 1, failed: 0, success_rate: 1 });
    expect(alpha.ttft_ms.p50).not.toBeNull();
    const broken = geoSla.body.windows[0].models.find((m: { model: string }) => m.model === "broken");
    expect(broken.calls).toBe(1);

    const platform = await a.t.call("GET", "/v1/sla?scope=platform", { key: PLATFORM_KEY });
    expect(platform.status).toBe(200);
    const routes = platform.body.windows[0].routes as { route: string; requests: number }[];
    expect(routes.find((r) => r.route === "/v1/search")?.requests).toBeGreaterThanOrEqual(3);
    expect(routes.some((r) => r.route === "/v1/ask")).toBe(true);
    expect(routes.some((r) => r.route.includes("*"))).toBe(false);
    expect((await a.t.call("GET", "/v1/sla?scope=platform", { key: geo.adminKey })).status).toBe(403);
    expect((await a.t.call("GET", "/v1/sla?scope=everything", { key: geo.adminKey })).status).toBe(400);
    console.log(`sla 1h for the other org: ${JSON.stringify(hour.routes)}`);
  });
});
