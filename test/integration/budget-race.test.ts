import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { budgetReservations, usageLedger } from "../../src/db/schema.js";
import { type AskTestApp, ask, STUB_PRICE, seedGeography, startAskTestApp } from "../helpers/ask-app.js";
import type { DbKind } from "../helpers/database.js";

const MAX_TOKENS = 50;
const CONCURRENCY = 50;
const QUESTION = { question: "What is the capital of France?", max_tokens: MAX_TOKENS, models: ["over"] };

/**
 * 50 asks at once against a budget that fits a few of them, with a provider that bills 100,000 output
 * tokens whatever max_tokens says and claims 4× the prompt tokens it was sent (more than the local
 * count plus its margin). The money spent may exceed the budget only by what the ledger records as
 * over-reservation, and every over-reported output is capped and flagged.
 */
describe.each<DbKind>(["pglite", "postgres"])("budget race on %s", (kind) => {
  let a: AskTestApp;

  beforeAll(async () => {
    a = await startAskTestApp(kind, {
      models: [{ id: "over", provider: "stub", upstream: "stub-overreport", price: STUB_PRICE }],
      stub: { overreportOutputTokens: 100_000, overreportPromptFactor: 4 },
    });
  }, 120_000);
  afterAll(async () => a?.close());

  async function requiredMicros(): Promise<number> {
    const probe = await seedGeography(a, "Probe", 0);
    const r = await ask(a.t, probe.adminKey, { ...QUESTION, knowledge_base_ids: [probe.kbId] });
    expect(r.status).toBe(402);
    return r.body.required_micros as number;
  }

  async function race(key: string, kbId: string) {
    const results = await Promise.all(
      Array.from({ length: CONCURRENCY }, () => ask(a.t, key, { ...QUESTION, knowledge_base_ids: [kbId] })),
    );
    return results.map((r) => r.status);
  }

  function totals(rows: (typeof usageLedger.$inferSelect)[]) {
    return {
      spent: rows.reduce((n, r) => n + r.costMicros, 0),
      excess: rows.reduce((n, r) => n + r.overReservationMicros, 0),
    };
  }

  it("holds a tenant budget: spent ≤ budget + recorded excess; output billed at max_tokens and flagged", async () => {
    const required = await requiredMicros();
    const budget = required * 5;
    const geo = await seedGeography(a, "Racers", budget / 1e6);
    const statuses = await race(geo.adminKey, geo.kbId);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 402).length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 200 || s === 402)).toBe(true);

    const rows = await a.t.deps.database.db
      .select()
      .from(usageLedger)
      .where(eq(usageLedger.tenantId, geo.tenantId));
    const chat = rows.filter((r) => r.kind === "chat");
    expect(chat).toHaveLength(statuses.filter((s) => s === 200).length);
    for (const r of chat) {
      expect(r.outputTokens).toBe(MAX_TOKENS);
      expect(r.reportedOutputTokens).toBe(100_000);
    }
    const { spent, excess } = totals(rows);
    // The stub claims 4× the prompt it got: beyond the margin, so some excess is recorded, and only that.
    expect(excess).toBeGreaterThan(0);
    expect(spent).toBeLessThanOrEqual(budget + excess);
    // Without the excess, what was admitted fits the budget exactly as reserved.
    expect(spent - excess).toBeLessThanOrEqual(budget);
    const held = await a.t.deps.database.db
      .select()
      .from(budgetReservations)
      .where(eq(budgetReservations.tenantId, geo.tenantId));
    expect(held).toEqual([]);
  }, 120_000);

  it("holds a key budget under the same race", async () => {
    const required = await requiredMicros();
    const geo = await seedGeography(a, "KeyRacers");
    const budget = required * 3;
    const key = await a.t.newKey(geo.adminKey, ["query"], { monthly_budget_usd: budget / 1e6 });
    const statuses = await race(key.key, geo.kbId);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0);
    expect(statuses.filter((s) => s === 402).length).toBeGreaterThan(0);
    const rows = await a.t.deps.database.db.select().from(usageLedger).where(eq(usageLedger.keyId, key.id));
    const { spent, excess } = totals(rows);
    expect(spent).toBeLessThanOrEqual(budget + excess);
    expect(rows.filter((r) => r.kind === "chat").every((r) => r.reportedOutputTokens === 100_000)).toBe(true);
  }, 120_000);
});
