import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAlipayBilling, yuanOf } from "../../src/billing/payments/alipay.js";
import { type AlipayFake, startAlipayFake } from "../helpers/alipay-fake.js";
import { createTestApp, type TestApp } from "../helpers/app.js";
import { billingEnv } from "../helpers/billing.js";
import { openTestDatabase, type TestDatabase } from "../helpers/database.js";
import { type Browser, memoryMailer, signedUpPerson } from "../helpers/people.js";

describe("Alipay top-ups: page pay, QR, RSA2-verified notification credited once", () => {
  let db: TestDatabase;
  let fake: AlipayFake;
  let t: TestApp;
  let owner: Browser;

  beforeAll(async () => {
    db = await openTestDatabase("pglite");
    fake = await startAlipayFake();
    const alipay = createAlipayBilling({
      appId: "2021000000000001",
      privateKey: fake.appPrivateKey,
      alipayPublicKey: fake.alipayPublicKey,
      gateway: fake.gateway,
      notifyUrl: "http://localhost/v1/webhooks/alipay",
      cnyPerUsd: "7.20",
    });
    const mailer = memoryMailer();
    t = await createTestApp(
      db,
      { payments: { alipay }, mailer },
      { ...billingEnv(), PASSWORD_SCRYPT_LOG_N: "12" },
    );
    owner = (await signedUpPerson(t, mailer, "li@example.com", { organization_name: "Hangzhou Co" })).browser;
  }, 60_000);
  afterAll(async () => {
    await fake?.close();
    await db?.cleanup();
  });

  const notify = (body: string) =>
    t.app.request("/v1/webhooks/alipay", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body,
    });

  it("converts at the operator's rate in integer arithmetic", () => {
    expect(yuanOf(10_000_000, "7.20")).toBe("72.00");
    expect(yuanOf(1_230_000, "7.1234")).toBe("8.76");
  });

  it("page pay returns a signed cashier URL; QR precreate goes through the gateway", async () => {
    const page = await owner.call("POST", "/v1/billing/top-ups", {
      body: { provider: "alipay", amount_usd: "10.00" },
    });
    expect(page.status).toBe(201);
    const url = new URL(page.body.url);
    expect(url.origin + url.pathname).toBe(fake.gateway);
    expect(url.searchParams.get("method")).toBe("alipay.trade.page.pay");
    expect(url.searchParams.get("sign_type")).toBe("RSA2");
    const qr = await owner.call("POST", "/v1/billing/top-ups", {
      body: { provider: "alipay", amount_usd: "10.00", method: "qr" },
    });
    expect(qr.status).toBe(201);
    expect(qr.body.qr_code).toBe(`https://qr.alipay.test/${qr.body.payment_id}`);
    expect(fake.calls.at(-1)!.method).toBe("alipay.trade.precreate");
  });

  it("a notification delivered three times credits the wallet once; a tampered one is refused", async () => {
    const qr = await owner.call("POST", "/v1/billing/top-ups", {
      body: { provider: "alipay", amount_usd: "10.00", method: "qr" },
    });
    const paid = {
      notify_id: "n1",
      notify_time: "2026-11-30 12:00:00",
      app_id: "2021000000000001",
      out_trade_no: qr.body.payment_id,
      trade_no: "2026113022001400001",
      trade_status: "TRADE_SUCCESS",
      total_amount: "72.00",
    };
    const bad = await notify(fake.notifyBody(paid, { tamper: true }));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: "bad_request", errors: [{ field: "sign" }] });
    for (let i = 0; i < 3; i++) {
      const r = await notify(fake.notifyBody(paid));
      expect(r.status).toBe(200);
      expect(await r.text()).toBe("success");
    }
    const w = (await owner.call("GET", "/v1/billing/wallet")).body;
    expect(w.wallet_micros).toBe(10_000_000);
    expect(w.data.filter((e: { kind: string }) => e.kind === "top_up")).toHaveLength(1);
  });
});
