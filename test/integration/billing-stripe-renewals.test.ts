import { and, eq } from "drizzle-orm";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStripeBilling } from "../../src/billing/payments/stripe.js";
import { auditLog, payments } from "../../src/db/schema.js";
import { createTestApp, type TestApp } from "../helpers/app.js";
import { billingEnv } from "../helpers/billing.js";
import { openTestDatabase, type TestDatabase } from "../helpers/database.js";
import { type Browser, memoryMailer, signedUpPerson } from "../helpers/people.js";
import { type StripeFake, startStripeFake } from "../helpers/stripe-fake.js";

const SECRET = "whsec_test_renewals_0123456789";
const signer = new Stripe("sk_test_signer");

/**
 * Subscription renewals (issue 16): each paid invoice after the first is one statement line for the
 * period it pays, applied once per event id and per invoice, and recorded whatever the order of events.
 */
describe("Stripe renewals: invoice.paid adds a subscription line per period", () => {
  let db: TestDatabase;
  let fake: StripeFake;
  let t: TestApp;
  let owner: Browser;
  let tenantId: string;
  const t0 = Math.floor(Date.now() / 1000);
  const month = new Date().toISOString().slice(0, 7);

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
    const p = await signedUpPerson(t, mailer, "renew@example.com", { organization_name: "Renew Co" });
    owner = p.browser;
    tenantId = p.orgId;
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
      body: tamper ? payload.replace("2900", "1") : payload,
    });
    return { status: res.status, body: (await res.json()) as any };
  }
  const ev = (id: string, type: string, created: number, object: Record<string, unknown>) => ({
    id,
    object: "event",
    api_version: "2025-03-31.basil",
    type,
    created,
    data: { object },
  });
  /** An invoice as Stripe's current API sends it: the subscription's metadata under parent. */
  const invoice = (id: string, reason: string, cents: number, start: number, paidAt: number) => ({
    id,
    object: "invoice",
    customer: "cus_renew",
    billing_reason: reason,
    amount_paid: cents,
    currency: "usd",
    status: "paid",
    status_transitions: { paid_at: paidAt },
    parent: {
      type: "subscription_details",
      subscription_details: { subscription: "sub_renew", metadata: { tenant_id: tenantId, plan_id: "pro" } },
    },
    lines: {
      object: "list",
      data: [
        {
          id: `il_${id}`,
          amount: cents,
          period: { start, end: start + 30 * 86_400 },
          pricing: { type: "price_details", price_details: { price: "price_pro", product: "prod_pro" } },
        },
      ],
    },
  });
  const statement = async () => (await owner.call("GET", `/v1/billing/statements/${month}`)).body;
  const subscriptionRows = () =>
    db.db
      .select()
      .from(payments)
      .where(
        and(
          eq(payments.tenantId, tenantId),
          eq(payments.purpose, "subscription"),
          eq(payments.status, "paid"),
        ),
      );

  it("a renewal arriving before Checkout's event is still the organization's; the first invoice adds no second line", async () => {
    // Out of order: Stripe delivers the second period's invoice before anything else reached us.
    const early = ev(
      "evt_inv_2",
      "invoice.paid",
      t0 + 5,
      invoice("in_2", "subscription_cycle", 2900, t0, t0 + 5),
    );
    expect((await deliver(early)).body).toMatchObject({ duplicate: false });

    const co = await owner.call("POST", "/v1/billing/checkout", { body: { plan_id: "pro" } });
    expect(co.status).toBe(201);
    expect(fake.requests.at(-1)!.form["subscription_data[metadata][tenant_id]"]).toBe(tenantId);
    const completed = ev("evt_co", "checkout.session.completed", t0 + 1, {
      id: co.body.external_id,
      object: "checkout.session",
      customer: "cus_renew",
      subscription: "sub_renew",
      metadata: {
        tenant_id: tenantId,
        purpose: "subscription",
        plan_id: "pro",
        payment_id: co.body.payment_id,
      },
    });
    expect((await deliver(completed)).status).toBe(200);
    const first = ev(
      "evt_inv_1",
      "invoice.paid",
      t0 + 2,
      invoice("in_1", "subscription_create", 4900, t0 - 30 * 86_400, t0 + 2),
    );
    expect((await deliver(first)).status).toBe(200);

    const s = await statement();
    expect(s.subscription).toHaveLength(2);
    expect(s.subscription[0]).toMatchObject({ payment_id: co.body.payment_id, plan: "pro", period: null });
    expect(s.subscription[1]).toMatchObject({
      payment_id: "pay_inv_in_2",
      plan: "pro",
      amount_micros: 29_000_000,
      amount_usd: "29.000000",
      period: {
        from: new Date(t0 * 1000).toISOString(),
        to: new Date((t0 + 30 * 86_400) * 1000).toISOString(),
      },
    });
    expect(s.totals.subscription_micros).toBe(49_000_000 + 29_000_000);
    expect((await owner.call("GET", "/v1/billing/plan")).body).toMatchObject({
      plan: { id: "pro" },
      status: "active",
    });
  });

  it("the same renewal delivered three times, and again under another event id, is one line", async () => {
    const third = ev(
      "evt_inv_3",
      "invoice.paid",
      t0 + 60,
      invoice("in_3", "subscription_cycle", 4900, t0 + 31 * 86_400, t0 + 60),
    );
    const results = [await deliver(third), await deliver(third), await deliver(third)];
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(results.map((r) => r.body.duplicate)).toEqual([false, true, true]);
    // Stripe may send a second event about one invoice (e.g. a retried endpoint with a new event id).
    const again = ev(
      "evt_inv_3b",
      "invoice.paid",
      t0 + 61,
      invoice("in_3", "subscription_cycle", 4900, t0 + 31 * 86_400, t0 + 60),
    );
    expect((await deliver(again)).body.duplicate).toBe(false);
    const rows = await subscriptionRows();
    expect(rows.filter((r) => r.externalId === "in_3")).toHaveLength(1);
    const audits = await db.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.action, "billing.subscription.renewal"));
    expect(audits.map((a) => a.resourceId).sort()).toEqual(["pay_inv_in_2", "pay_inv_in_3"]);
    const s = await statement();
    expect(s.subscription.map((l: { payment_id: string }) => l.payment_id)).toEqual([
      expect.stringMatching(/^pay_/),
      "pay_inv_in_2",
      "pay_inv_in_3",
    ]);
    expect(s.totals.subscription_micros).toBe(49_000_000 + 29_000_000 + 49_000_000);
  });

  it("a renewal older than a cancellation still records the money, but does not revive the plan", async () => {
    const deleted = ev("evt_del", "customer.subscription.deleted", t0 + 200, {
      id: "sub_renew",
      object: "subscription",
      customer: "cus_renew",
      metadata: { tenant_id: tenantId, plan_id: "pro" },
    });
    expect((await deliver(deleted)).status).toBe(200);
    const late = ev(
      "evt_inv_4",
      "invoice.paid",
      t0 + 100,
      invoice("in_4", "subscription_cycle", 4900, t0 + 62 * 86_400, t0 + 100),
    );
    expect((await deliver(late)).body.duplicate).toBe(false);
    expect((await owner.call("GET", "/v1/billing/plan")).body.plan.id).toBe("free");
    const s = await statement();
    expect(s.subscription.map((l: { payment_id: string }) => l.payment_id)).toContain("pay_inv_in_4");
    const csv = await t.app.request(`/v1/billing/statements/${month}?format=csv`, {
      headers: { cookie: owner.cookie! },
    });
    const day = (u: number) => new Date(u * 1000).toISOString().slice(0, 10);
    expect(await csv.text()).toContain(
      `"subscription","pro ${day(t0 + 62 * 86_400)}..${day(t0 + 92 * 86_400)}","","","","","","","49000000","49.000000"`,
    );
  });

  it("a tampered renewal fails the signature check with the uniform error and records nothing", async () => {
    const forged = ev(
      "evt_inv_5",
      "invoice.paid",
      t0 + 300,
      invoice("in_5", "subscription_cycle", 2900, t0, t0 + 300),
    );
    const r = await deliver(forged, true);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ code: "bad_request", errors: [{ field: "stripe-signature" }] });
    expect((await subscriptionRows()).some((p) => p.externalId === "in_5")).toBe(false);
  });
});
