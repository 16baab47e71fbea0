import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usageLedger } from "../../src/db/schema.js";
import { costMicros } from "../../src/models/cost.js";
import { type AskTestApp, ask, seedGeography, startAskTestApp } from "../helpers/ask-app.js";

describe("usage ledger and GET /v1/usage", () => {
  let a: AskTestApp;
  let geo: Awaited<ReturnType<typeof seedGeography>>;
  let queryKey: { id: string; key: string };

  beforeAll(async () => {
    a = await startAskTestApp("postgres");
    geo = await seedGeography(a, "Billing");
    queryKey = await a.t.newKey(geo.adminKey, ["query"]);
    const body = { question: "What is the capital of France?", knowledge_base_ids: [geo.kbId] };
    await ask(a.t, geo.adminKey, { ...body, models: ["alpha", "gpt-4o-mini", "broken"] });
    await ask(a.t, geo.adminKey, { ...body, models: ["nousage", "bravo"] });
    await ask(a.t, queryKey.key, { ...body, models: ["gpt-4o-mini", "midstream"] });
    await ask(a.t, queryKey.key, { ...body, models: ["extractive"] });
    // Another tenant's spending never shows up.
    const other = await seedGeography(a, "Elsewhere");
    await ask(a.t, other.adminKey, { ...body, knowledge_base_ids: [other.kbId], models: ["alpha"] });
  });
  afterAll(async () => a?.close());

  const rows = () =>
    a.t.deps.database.db.select().from(usageLedger).where(eq(usageLedger.tenantId, geo.tenantId));

  it("prices every ledger row exactly as tokens × the model's price", async () => {
    const all = await rows();
    expect(all).toHaveLength(8);
    const registry = a.t.deps.models!;
    for (const r of all) {
      const price = registry.get(r.model)!.info.price;
      expect(Number.isSafeInteger(r.costMicros)).toBe(true);
      expect(r.costMicros).toBe(
        costMicros(
          {
            inputTokens: r.inputTokens,
            outputTokens: r.outputTokens,
            cachedInputTokens: r.cachedInputTokens,
          },
          price,
        ),
      );
      expect(r.kbIds).toEqual([geo.kbId]);
      expect(r.latencyMs).toBeGreaterThanOrEqual(0);
    }
    expect(all.map((r) => r.status).sort()).toEqual([
      "cut_off",
      "failed",
      "ok",
      "ok",
      "ok",
      "ok",
      "ok",
      "ok",
    ]);
  });

  it("agrees with the ledger to the micro-dollar, grouped by model, key and day", async () => {
    const all = await rows();
    const sum = (list: typeof all) => list.reduce((n, r) => n + r.costMicros, 0);
    const byModel = await a.t.call("GET", "/v1/usage?group_by=model", { key: geo.adminKey });
    expect(byModel.status).toBe(200);
    expect(byModel.body.totals.cost_micros).toBe(sum(all));
    expect(byModel.body.totals.requests).toBe(8);
    for (const g of byModel.body.data) {
      const mine = all.filter((r) => r.model === g.group);
      expect(g).toMatchObject({
        requests: mine.length,
        cost_micros: sum(mine),
        input_tokens: mine.reduce((n, r) => n + r.inputTokens, 0),
        output_tokens: mine.reduce((n, r) => n + r.outputTokens, 0),
      });
    }
    const byKey = await a.t.call("GET", "/v1/usage?group_by=key", { key: geo.adminKey });
    const keyCost = Object.fromEntries(byKey.body.data.map((g: any) => [g.group, g.cost_micros]));
    expect(keyCost[queryKey.id]).toBe(sum(all.filter((r) => r.keyId === queryKey.id)));
    expect(Object.keys(keyCost)).toHaveLength(2);
    const today = new Date().toISOString().slice(0, 10);
    const byDay = await a.t.call("GET", `/v1/usage?group_by=day&from=${today}&to=${today}`, {
      key: geo.adminKey,
    });
    expect(byDay.body.data).toEqual([expect.objectContaining({ group: today, cost_micros: sum(all) })]);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const empty = await a.t.call("GET", `/v1/usage?from=${yesterday}&to=${yesterday}`, { key: geo.adminKey });
    expect(empty.body.totals.cost_micros).toBe(0);
  });

  it("shows a non-admin key only its own usage", async () => {
    const all = await rows();
    const own = await a.t.call("GET", "/v1/usage?group_by=model", { key: queryKey.key });
    expect(own.status).toBe(200);
    expect(own.body.key_id).toBe(queryKey.id);
    expect(own.body.totals.cost_micros).toBe(
      all.filter((r) => r.keyId === queryKey.id).reduce((n, r) => n + r.costMicros, 0),
    );
    expect(own.body.data.map((g: any) => g.group).sort()).toEqual(["extractive", "gpt-4o-mini", "midstream"]);
    const snoop = await a.t.call("GET", `/v1/usage?key_id=${geo.adminKey.slice(0, 4)}x`, {
      key: queryKey.key,
    });
    expect(snoop.status).toBe(404);
  });

  it("gives the same totals as CSV", async () => {
    const json = await a.t.call("GET", "/v1/usage?group_by=model", { key: geo.adminKey });
    const res = await a.t.app.request("/v1/usage?group_by=model&format=csv", {
      headers: { authorization: `Bearer ${geo.adminKey}` },
    });
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    const [header, ...lines] = (await res.text()).trim().split("\r\n");
    expect(header).toBe(
      "model,requests,input_tokens,output_tokens,cached_input_tokens,embedding_tokens,cost_micros,cost_usd",
    );
    expect(lines).toHaveLength(json.body.data.length);
    for (const [i, line] of lines.entries()) {
      const cells = line!.split(",");
      const g = json.body.data[i];
      expect(cells[0]).toBe(g.group);
      expect(Number(cells[6])).toBe(g.cost_micros);
      expect(cells[7]).toBe(g.cost_usd);
    }
  });

  it("validates dates", async () => {
    const r = await a.t.call("GET", "/v1/usage?from=2025-02-10&to=2025-02-01", { key: geo.adminKey });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].field).toBe("to");
  });
});
