import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { orgBilling, usageLedger, walletEntries } from "../../src/db/schema.js";
import { creditWallet } from "../../src/services/billing/wallet.js";
import { type AskTestApp, ask, seedGeography, startAskTestApp } from "../helpers/ask-app.js";
import { billingEnv } from "../helpers/billing.js";
import type { DbKind } from "../helpers/database.js";

const QUESTION = { question: "What is the capital of France?", max_tokens: 50, models: ["alpha"] };

async function credit(a: AskTestApp, tenantId: string, micros: number, ref: string) {
  await a.t.deps.database.db.transaction((tx) =>
    creditWallet(tx, { tenantId, defaultPlanId: "free", kind: "credit", amountMicros: micros, ref }),
  );
}

async function wallet(a: AskTestApp, tenantId: string) {
  const [row] = await a.t.deps.database.db.select().from(orgBilling).where(eq(orgBilling.tenantId, tenantId));
  return row?.walletMicros ?? 0;
}

describe.each<DbKind>(["pglite", "postgres"])("plans and quotas (BILLING=on) on %s", (kind) => {
  let a: AskTestApp;
  beforeAll(async () => {
    a = await startAskTestApp(kind, { env: billingEnv() });
  }, 120_000);
  afterAll(async () => a?.close());

  it("stops a free organization at its knowledge-base quota with use and limit", async () => {
    const g = await seedGeography(a, "Quota KB");
    const r = await a.t.call("POST", "/v1/knowledge-bases", { key: g.adminKey, body: { name: "second" } });
    expect(r.status).toBe(402);
    expect(r.body).toMatchObject({
      code: "quota_exceeded",
      quota: "knowledge_bases",
      use: 1,
      limit: 1,
      plan: "free",
    });
    expect(r.headers.get("content-type")).toContain("application/problem+json");
    const e = await a.t.call("POST", "/v1/embeds", {
      key: g.adminKey,
      body: { name: "bot", knowledge_base_ids: [g.kbId], allowed_origins: ["https://shop.example.com"] },
    });
    expect(e.status).toBe(402);
    expect(e.body).toMatchObject({ quota: "embeds", use: 0, limit: 0 });
  });

  it("counts requests; past the quota an empty wallet answers 402, a funded one pays with markup", async () => {
    const g = await seedGeography(a, "Quota asks");
    for (let i = 0; i < 2; i++)
      expect((await ask(a.t, g.adminKey, { ...QUESTION, knowledge_base_ids: [g.kbId] })).status).toBe(200);
    const over = await ask(a.t, g.adminKey, { ...QUESTION, knowledge_base_ids: [g.kbId] });
    expect(over.status).toBe(402);
    expect(over.body).toMatchObject({
      code: "quota_exceeded",
      quota: "requests_per_month",
      use: 2,
      limit: 2,
    });
    const s = await a.t.call("POST", "/v1/search", {
      key: g.adminKey,
      body: { query: "Paris", knowledge_base_ids: [g.kbId] },
    });
    expect(s.status).toBe(402);

    await credit(a, g.tenantId, 1_000_000, "test:funded");
    const paid = await ask(a.t, g.adminKey, { ...QUESTION, knowledge_base_ids: [g.kbId] });
    expect(paid.status).toBe(200);
    const { db } = a.t.deps.database;
    const rows = await db.select().from(usageLedger).where(eq(usageLedger.tenantId, g.tenantId));
    const last = rows.sort((x, y) => x.id.localeCompare(y.id)).at(-1)!;
    expect(last.chargeMicros).toBe(Math.round(last.costMicros * 1.5));
    // Transparent cost: the answer's usage event shows both, as the ledger holds them.
    const usage = paid.events.find((e) => e.event === "usage")!.data;
    expect(usage).toMatchObject({ cost_micros: last.costMicros, charge_micros: last.chargeMicros });
    const report = await a.t.call("GET", "/v1/usage?group_by=model", { key: g.adminKey });
    expect(report.body.totals.charge_micros).toBe(rows.reduce((n, r) => n + r.chargeMicros, 0));
    expect(await wallet(a, g.tenantId)).toBe(1_000_000 - last.chargeMicros);
    const entries = await db.select().from(walletEntries).where(eq(walletEntries.tenantId, g.tenantId));
    expect(entries.reduce((n, e) => n + e.amountMicros, 0)).toBe(await wallet(a, g.tenantId));
  });

  it("50 concurrent asks against a nearly empty wallet never take it below the floor", async () => {
    const g = await seedGeography(a, "Quota race");
    for (let i = 0; i < 2; i++) await ask(a.t, g.adminKey, { ...QUESTION, knowledge_base_ids: [g.kbId] });
    await credit(a, g.tenantId, 1, "test:probe");
    const probe = await ask(a.t, g.adminKey, { ...QUESTION, knowledge_base_ids: [g.kbId] });
    expect(probe.status).toBe(402);
    expect(probe.body.code).toBe("insufficient_funds");
    const required = probe.body.required_micros as number;
    // Room for three calls' worst case.
    await credit(a, g.tenantId, required * 3, "test:race");
    const statuses = await Promise.all(
      Array.from({ length: 50 }, () => ask(a.t, g.adminKey, { ...QUESTION, knowledge_base_ids: [g.kbId] })),
    );
    const ok = statuses.filter((r) => r.status === 200).length;
    expect(ok).toBeGreaterThanOrEqual(3);
    expect(statuses.every((r) => r.status === 200 || r.status === 402)).toBe(true);
    expect(await wallet(a, g.tenantId)).toBeGreaterThanOrEqual(0);
    const { db } = a.t.deps.database;
    const entries = await db.select().from(walletEntries).where(eq(walletEntries.tenantId, g.tenantId));
    expect(entries.reduce((n, e) => n + e.amountMicros, 0)).toBe(await wallet(a, g.tenantId));
  }, 120_000);
});
