import { eq } from "drizzle-orm";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStripeBilling } from "../../src/billing/payments/stripe.js";
import { auditLog, orgBilling } from "../../src/db/schema.js";
import { createTestApp, type TestApp } from "../helpers/app.js";
import { billingEnv } from "../helpers/billing.js";
import { openTestDatabase, type TestDatabase } from "../helpers/database.js";
import { type Browser, memoryMailer, signedUpPerson } from "../helpers/people.js";
import { type StripeFake, startStripeFake } from "../helpers/stripe-fake.js";

const SECRET = "whsec_test_secret_0123456789";
const signer = new Stripe("sk_test_signer");

describe("Stripe: checkout, webhooks, past due and downgrade", () => {
  let db: TestDatabase;
  let fake: StripeFake;
  let t: TestApp;
  let org: { tenantId: string };
  let owner: Browser;
  const t0 = Math.floor(Date.now() / 1000);

  beforeAll(async () => {
    db = await openTestDatabase("pglite");
    fake = await startStripeFake();
    const stripe = createStripeBilling({
      secretKey: "sk_test_fake",
      webhookSecret: SECRET,
      apiUrl: fake.url,
    });
    const mailer = memoryMailer();
    t = await createTestApp(
      db,
      { payments: { stripe }, mailer },
      { ...billingEnv(), PASSWORD_SCRYPT_LOG_N: "12" },
    );
    // A person signs up: their organization starts on the free plan, and they own it (billing rights).
    const p = await signedUpPerson(t, mailer, "founder@example.com", { organization_name: "Stripe Co" });
    owner = p.browser;
    org = { tenantId: p.orgId };
  }, 60_000);
  afterAll(async () => {
    await fake?.close();
    await db?.cleanup();
  });

  async function deliver(event: Record<string, unknown>, tamper = false) {
    const payload = JSON.stringify(event);
    const header = signer.webhooks.generateTestHeaderString({ payload, secret: SECRET });
    const res = await t.app.request("/v1/webhooks/stripe", {
      method: "POST",
      headers: { "content-type": "application/json", "stripe-signature": header },
      body: tamper ? payload.replace("pro", "enterprise") : payload,
    });
    return { status: res.status, body: (await res.json()) as any };
  }
  const ev = (id: string, type: string, created: number, object: Record<string, unknown>) => ({
    id,
    object: "event",
    type,
    created,
    data: { object },
  });
  const kb = (name: string) => owner.call("POST", "/v1/knowledge-bases", { body: { name } });
  const plan = async () => (await owner.call("GET", "/v1/billing/plan")).body;

  it("free organization is stopped at its quota with the right error", async () => {
    expect((await kb("one")).status).toBe(201);
    const r = await kb("two");
    expect(r.status).toBe(402);
    expect(r.body).toMatchObject({ code: "quota_exceeded", quota: "knowledge_bases", use: 1, limit: 1 });
  });

  it("upgrades through Checkout and the webhook, then the quota is raised; three deliveries apply once", async () => {
    const co = await owner.call("POST", "/v1/billing/checkout", { body: { plan_id: "pro" } });
    expect(co.status).toBe(201);
    expect(co.body.url).toMatch(/^https:\/\/checkout\.stripe\.test\//);
    const sent = fake.requests.at(-1)!;
    expect(sent.path).toBe("/v1/checkout/sessions");
    expect(sent.form["line_items[0][price]"]).toBe("price_pro");
    expect(sent.form["metadata[tenant_id]"]).toBe(org.tenantId);
    const completed = ev("evt_done", "checkout.session.completed", t0 + 10, {
      id: co.body.external_id,
      object: "checkout.session",
      customer: "cus_1",
      subscription: "sub_1",
      metadata: {
        tenant_id: org.tenantId,
        purpose: "subscription",
        plan_id: "pro",
        payment_id: co.body.payment_id,
      },
    });
    const results = [await deliver(completed), await deliver(completed), await deliver(completed)];
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(results.map((r) => r.body.duplicate)).toEqual([false, true, true]);
    expect((await plan()).plan.id).toBe("pro");
    expect((await kb("two")).status).toBe(201);
    const audits = await db.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, "billing.stripe.checkout.session.completed"));
    expect(audits).toHaveLength(1);
    const portal = await owner.call("POST", "/v1/billing/portal");
    expect(portal.status).toBe(200);
    expect(fake.requests.at(-1)!.form.customer).toBe("cus_1");
  });

  it("a tampered body fails the signature check with the uniform error", async () => {
    const r = await deliver(
      ev("evt_x", "customer.subscription.deleted", t0 + 11, {
        customer: "cus_1",
        metadata: { plan_id: "pro" },
      }),
      true,
    );
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: "bad_request", errors: [{ field: "stripe-signature" }] });
    expect((await plan()).plan.id).toBe("pro");
  });

  it("failed payment -> past due; a late older invoice.paid is ignored; after the grace period -> free", async () => {
    const failed = ev("evt_fail", "invoice.payment_failed", t0 + 30, {
      object: "invoice",
      customer: "cus_1",
    });
    const latePaid = ev("evt_old_paid", "invoice.paid", t0 + 20, { object: "invoice", customer: "cus_1" });
    expect((await deliver(failed)).status).toBe(200);
    expect((await deliver(latePaid)).body.duplicate).toBe(false);
    let p = await plan();
    expect(p).toMatchObject({ status: "past_due", plan: { id: "pro" } });
    // Within the grace period the paid plan holds.
    expect((await kb("three")).status).toBe(201);
    // Stripe's clock moves past the grace period (BILLING_GRACE_DAYS=7).
    await db.db
      .update(orgBilling)
      .set({ pastDueSince: new Date(Date.now() - 8 * 86_400_000) })
      .where(eq(orgBilling.tenantId, org.tenantId));
    p = await plan();
    expect(p).toMatchObject({ status: "active", plan: { id: "free" } });
    const r = await kb("four");
    expect(r.status).toBe(402);
    expect(r.body).toMatchObject({ quota: "knowledge_bases", use: 3, limit: 1 });
    const down = await db.db.select().from(auditLog).where(eq(auditLog.action, "billing.plan.downgrade"));
    expect(down).toHaveLength(1);
  });

  it("a top-up by card is credited once however often Checkout's event arrives", async () => {
    const neg = await owner.call("POST", "/v1/billing/top-ups", {
      body: { provider: "stripe", amount_usd: -5 },
    });
    expect(neg.status).toBe(400);
    expect(neg.body.errors[0].field).toBe("amount_usd");
    const top = await owner.call("POST", "/v1/billing/top-ups", {
      body: { provider: "stripe", amount_usd: "10.00" },
    });
    expect(top.status).toBe(201);
    expect(fake.requests.at(-1)!.form["line_items[0][price_data][unit_amount]"]).toBe("1000");
    const done = ev("evt_topup", "checkout.session.completed", t0 + 40, {
      id: top.body.external_id,
      object: "checkout.session",
      customer: "cus_1",
      metadata: { tenant_id: org.tenantId, purpose: "top_up", payment_id: top.body.payment_id },
    });
    for (let i = 0; i < 3; i++) expect((await deliver(done)).status).toBe(200);
    const w = (await owner.call("GET", "/v1/billing/wallet")).body;
    expect(w.wallet_micros).toBe(10_000_000);
    expect(w.wallet_usd).toBe("10.000000");
    expect(w.data.filter((e: { kind: string }) => e.kind === "top_up")).toHaveLength(1);
  });

  it("unknown plans are refused by name", async () => {
    const r = await owner.call("POST", "/v1/billing/checkout", { body: { plan_id: "gold" } });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: "validation_failed", errors: [{ field: "plan_id" }] });
    const p = await t.call("PUT", `/v1/platform/organizations/${org.tenantId}/plan`, {
      body: { plan_id: "gold" },
    });
    expect(p.status).toBe(400);
  });
});
