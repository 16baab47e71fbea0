import { eq, sql } from "drizzle-orm";
import { PDFParse } from "pdf-parse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { statements, usageLedger } from "../../src/db/schema.js";
import { formatMicros } from "../../src/models/cost.js";
import { recordUsage } from "../../src/services/ledger/record.js";
import { type AskTestApp, startAskTestApp } from "../helpers/ask-app.js";
import { billingEnv } from "../helpers/billing.js";
import { type Browser, memoryMailer, signedUpPerson } from "../helpers/people.js";
import { indexDocument } from "../helpers/search-index.js";

/**
 * Tried as a new user would (issue 16): sign up (free plan), hit the free quota, top up with a
 * redemption code, ask again, download the statement; its PDF shows the ledger's totals.
 */
describe("a new customer's first month", () => {
  let a: AskTestApp;
  let owner: Browser;
  let orgId: string;
  let kbId: string;

  beforeAll(async () => {
    a = await startAskTestApp("pglite", { env: { ...billingEnv(), PASSWORD_SCRYPT_LOG_N: "12" } });
    const mailer = memoryMailer();
    a.t.deps.mailer = mailer;
    const p = await signedUpPerson(a.t, mailer, "new@example.com", { organization_name: "Newco" });
    owner = p.browser;
    orgId = p.orgId;
    kbId = (await owner.call("POST", "/v1/knowledge-bases", { body: { name: "Capitals", language: "en" } }))
      .body.id;
    await indexDocument(a.t.deps.database, a.fx, {
      tenantId: orgId,
      kbId,
      title: "France guide",
      chunks: [{ text: "Paris is the capital of France. The Eiffel Tower stands in Paris.", pageStart: 1 }],
    });
  }, 120_000);
  afterAll(async () => a?.close());

  const askOnce = () =>
    owner.call("POST", "/v1/ask", {
      body: {
        question: "What is the capital of France?",
        knowledge_base_ids: [kbId],
        models: ["alpha"],
        max_tokens: 50,
      },
    });

  it("signs up on free, hits the quota, redeems a code, asks again, and gets a statement equal to the ledger", async () => {
    expect((await owner.call("GET", "/v1/billing/plan")).body.plan.id).toBe("free");
    expect((await askOnce()).status).toBe(200);
    expect((await askOnce()).status).toBe(200);
    const stopped = await askOnce();
    expect(stopped.status).toBe(402);
    expect(stopped.body).toMatchObject({
      code: "quota_exceeded",
      quota: "requests_per_month",
      use: 2,
      limit: 2,
    });
    const quota = (await owner.call("GET", "/v1/billing/quota")).body;
    expect(quota.data.find((q: { quota: string }) => q.quota === "requests_per_month")).toEqual({
      quota: "requests_per_month",
      use: 2,
      limit: 2,
    });

    // The operator hands out codes; bad input gets the uniform error body.
    const negative = await a.t.call("POST", "/v1/platform/redemption-codes", {
      body: { count: 1, amount_usd: -1 },
    });
    expect(negative.status).toBe(400);
    expect(negative.body.code).toBe("validation_failed");
    expect(negative.body.errors[0].field).toBe("amount_usd");
    const batch = await a.t.call("POST", "/v1/platform/redemption-codes", {
      body: { count: 2, amount_usd: "5.00" },
    });
    expect(batch.status).toBe(201);
    const code: string = batch.body.codes[0];
    const redeemed = await owner.call("POST", "/v1/billing/redeem", { body: { code: code.toLowerCase() } });
    expect(redeemed.status).toBe(200);
    expect(redeemed.body).toMatchObject({ amount_micros: 5_000_000, wallet_usd: "5.000000" });
    const reused = await owner.call("POST", "/v1/billing/redeem", { body: { code } });
    expect(reused.status).toBe(409);
    expect(reused.body).toMatchObject({ code: "conflict", errors: [{ field: "code" }] });
    const credit = await a.t.call("POST", `/v1/platform/organizations/${orgId}/credits`, {
      body: { amount_usd: "1.50", reason: "welcome" },
    });
    expect(credit.status).toBe(200);

    const again = await askOnce();
    expect(again.status).toBe(200);
    const wallet = (await owner.call("GET", "/v1/billing/wallet")).body;
    expect(wallet.data.map((e: { kind: string }) => e.kind)).toEqual(["usage", "credit", "code"]);

    const month = new Date().toISOString().slice(0, 7);
    const { db } = a.t.deps.database;
    const [ledger] = await db
      .select({
        cost: sql<string>`sum(${usageLedger.costMicros})::text`,
        charge: sql<string>`sum(${usageLedger.chargeMicros})::text`,
      })
      .from(usageLedger)
      .where(eq(usageLedger.tenantId, orgId));
    const json = (await owner.call("GET", `/v1/billing/statements/${month}`)).body;
    expect(json).toMatchObject({ status: "open", number: null, month });
    expect(json.totals.usage_cost_micros).toBe(Number(ledger!.cost));
    expect(json.totals.usage_charge_micros).toBe(Number(ledger!.charge));
    expect(json.totals.codes_micros).toBe(5_000_000);
    expect(json.totals.credits_micros).toBe(1_500_000);
    expect(json.totals.usage_charge_usd).toBe(formatMicros(Number(ledger!.charge)));
    expect(json.tax).toMatchObject({ rate: "0", micros: 0 });

    const csv = await a.t.app.request(`/v1/billing/statements/${month}?format=csv`, {
      headers: { cookie: owner.cookie! },
    });
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(await csv.text()).toContain(
      `"total","usage_charge","","","","","","","${ledger!.charge}","${formatMicros(Number(ledger!.charge))}"`,
    );

    const pdf = await a.t.app.request(`/v1/billing/statements/${month}?format=pdf`, {
      headers: { cookie: owner.cookie! },
    });
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    const parser = new PDFParse({ data: new Uint8Array(await pdf.arrayBuffer()) });
    const text = (await parser.getText()).text;
    await parser.destroy();
    expect(text).toContain(`Usage at provider cost: $${formatMicros(Number(ledger!.cost))}`);
    expect(text).toContain(`Usage charge: $${formatMicros(Number(ledger!.charge))}`);
    expect(text).toContain("Codes: $5.000000");
  }, 120_000);

  it("a past month's statement is numbered on first read and immutable afterwards", async () => {
    const now = new Date();
    const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15));
    const month = last.toISOString().slice(0, 7);
    const { db } = a.t.deps.database;
    const id = await recordUsage(db, {
      tenantId: orgId,
      keyId: null,
      kind: "chat",
      model: "alpha",
      inputTokens: 1000,
      outputTokens: 200,
      costMicros: 3_000,
      chargeMicros: 4_500,
      usageSource: "provider",
      status: "ok",
    });
    await db.update(usageLedger).set({ createdAt: last }).where(eq(usageLedger.id, id));
    const first = (await owner.call("GET", `/v1/billing/statements/${month}`)).body;
    expect(first.status).toBe("closed");
    expect(first.number).toMatch(new RegExp(`^ST-${month.replace("-", "")}-\\d{6}$`));
    expect(first.totals).toMatchObject({ usage_cost_micros: 3_000, usage_charge_micros: 4_500 });
    // A later ledger row in that month does not change the closed statement.
    const late = await recordUsage(db, {
      tenantId: orgId,
      keyId: null,
      kind: "chat",
      model: "alpha",
      costMicros: 7,
      usageSource: "provider",
      status: "ok",
    });
    await db.update(usageLedger).set({ createdAt: last }).where(eq(usageLedger.id, late));
    const second = (await owner.call("GET", `/v1/billing/statements/${month}`)).body;
    expect(second).toEqual(first);
    await expect(
      db.update(statements).set({ number: "X" }).where(eq(statements.tenantId, orgId)),
    ).rejects.toThrow();
    const list = (await owner.call("GET", "/v1/billing/statements")).body.data;
    expect(list.map((s: { number: string }) => s.number)).toEqual([first.number]);
  });
});
