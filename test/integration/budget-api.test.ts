import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { budgetReservations, usageLedger } from "../../src/db/schema.js";
import {
  type AskTestApp,
  ask,
  STUB_MODELS,
  STUB_PRICE,
  seedGeography,
  startAskTestApp,
} from "../helpers/ask-app.js";
import type { DbKind } from "../helpers/database.js";

const QUESTION = { question: "What is the capital of France?", max_tokens: 50 };

describe.each<DbKind>(["pglite", "postgres"])("monthly budgets on %s", (kind) => {
  let a: AskTestApp;

  beforeAll(async () => {
    a = await startAskTestApp(kind, {
      models: [...STUB_MODELS, { id: "slow", provider: "stub", upstream: "stub-slow", price: STUB_PRICE }],
      stub: { slowFirstTokenMs: 400 },
    });
  });
  afterAll(async () => a?.close());

  const ledgerOf = (tenantId: string) =>
    a.t.deps.database.db.select().from(usageLedger).where(eq(usageLedger.tenantId, tenantId));
  const heldBy = (tenantId: string) =>
    a.t.deps.database.db.select().from(budgetReservations).where(eq(budgetReservations.tenantId, tenantId));
  const chatCalls = () => a.stub.requests.filter((r) => r.path.endsWith("/chat/completions")).length;

  it("402s a call that could exceed the tenant budget, with the remaining budget, spending nothing", async () => {
    const geo = await seedGeography(a, "Broke", 0.001);
    const calls = chatCalls();
    // Up to 2 models × (prompt + 1000 output tokens at $5/M) > $0.001.
    const r = await ask(a.t, geo.adminKey, {
      ...QUESTION,
      knowledge_base_ids: [geo.kbId],
      models: ["alpha", "bravo"],
      max_tokens: 1000,
    });
    expect(r.status).toBe(402);
    expect(r.body).toMatchObject({
      code: "budget_exceeded",
      budget_scope: "tenant",
      remaining_usd: "0.001000",
      remaining_micros: 1000,
    });
    expect(r.body.required_micros).toBeGreaterThan(10_000);
    expect(r.body.detail).toMatch(/monthly budget has \$0\.001000 left/);
    expect(chatCalls()).toBe(calls);
    expect(await ledgerOf(geo.tenantId)).toEqual([]);
    expect(await heldBy(geo.tenantId)).toEqual([]);
    // Free models cannot exceed a budget.
    const free = await ask(a.t, geo.adminKey, {
      ...QUESTION,
      knowledge_base_ids: [geo.kbId],
      models: ["extractive"],
    });
    expect(free.status).toBe(200);
  });

  it("applies a key's own budget and settles reservations to the actual cost", async () => {
    const geo = await seedGeography(a, "Keyed");
    const first = await ask(a.t, geo.adminKey, {
      ...QUESTION,
      knowledge_base_ids: [geo.kbId],
      models: ["alpha"],
    });
    expect(first.status).toBe(200);
    const reserve = first.events.find((e) => e.event === "usage")!.data;
    // A key budget that fits one call's reservation (prompt + 50 tokens) but not two.
    const needed = await ask(
      a.t,
      (await a.t.newKey(geo.adminKey, ["query"], { monthly_budget_usd: 0 })).key,
      {
        ...QUESTION,
        knowledge_base_ids: [geo.kbId],
        models: ["alpha"],
      },
    );
    expect(needed.status).toBe(402);
    expect(needed.body.budget_scope).toBe("key");
    const required = needed.body.required_micros as number;
    expect(required).toBeGreaterThanOrEqual(reserve.cost_micros);
    // Fits one reservation, and after one call's actual cost (the same as `reserve`'s) not a second.
    const budget = required + Math.floor(reserve.cost_micros / 2);
    const key = await a.t.newKey(geo.adminKey, ["query"], { monthly_budget_usd: budget / 1e6 });
    const ok = await ask(a.t, key.key, { ...QUESTION, knowledge_base_ids: [geo.kbId], models: ["alpha"] });
    expect(ok.status).toBe(200);
    const spent = ok.events.find((e) => e.event === "usage")!.data.cost_micros as number;
    expect(await heldBy(geo.tenantId)).toEqual([]);
    const again = await ask(a.t, key.key, { ...QUESTION, knowledge_base_ids: [geo.kbId], models: ["alpha"] });
    expect(again.status).toBe(402);
    expect(again.body.remaining_micros).toBe(budget - spent);
  });

  it("serializes concurrent reservations: only calls that fit together get through", async () => {
    const probe = await seedGeography(a, "Probe", 0);
    const r = await ask(a.t, probe.adminKey, {
      ...QUESTION,
      knowledge_base_ids: [probe.kbId],
      models: ["slow"],
    });
    expect(r.status).toBe(402);
    const required = r.body.required_micros as number;
    const geo = await seedGeography(a, "Racers", (required * 1.5) / 1e6);
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        ask(a.t, geo.adminKey, { ...QUESTION, knowledge_base_ids: [geo.kbId], models: ["slow"] }),
      ),
    );
    expect(results.map((x) => x.status).sort()).toEqual([200, 402, 402, 402]);
    const rows = await ledgerOf(geo.tenantId);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.costMicros).toBeLessThanOrEqual(required);
    expect(await heldBy(geo.tenantId)).toEqual([]);
  });
});
