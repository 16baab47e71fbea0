import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fenOf } from "../../src/billing/payments/cny.js";
import { createWechatPayBilling } from "../../src/billing/payments/wechatpay.js";
import { createTestApp, type TestApp } from "../helpers/app.js";
import { billingEnv } from "../helpers/billing.js";
import { openTestDatabase, type TestDatabase } from "../helpers/database.js";
import { type Browser, memoryMailer, signedUpPerson } from "../helpers/people.js";
import { startWechatPayFake, type WechatPayFake } from "../helpers/wechatpay-fake.js";

/**
 * WeChat Pay (微信支付) top-ups through the adapter (wechatpay-axios-plugin) against a local fake of the
 * API v3 gateway with keys generated in the test: Native pay answers a code_url; the notification is
 * verified with the platform key, decrypted with the APIv3 key, and credited once.
 */
describe("WeChat Pay top-ups: Native QR, signed and encrypted notification credited once", () => {
  let db: TestDatabase;
  let fake: WechatPayFake;
  let t: TestApp;
  let owner: Browser;

  beforeAll(async () => {
    db = await openTestDatabase("pglite");
    fake = await startWechatPayFake();
    const wechatpay = createWechatPayBilling({
      mchid: fake.mchid,
      appid: fake.appid,
      merchantSerial: fake.merchantSerial,
      merchantPrivateKey: fake.merchantPrivateKey,
      platformSerial: fake.platformSerial,
      platformPublicKey: fake.platformPublicKey,
      apiV3Key: fake.apiV3Key,
      baseUrl: fake.baseUrl,
      notifyUrl: "http://localhost/v1/webhooks/wechatpay",
      cnyPerUsd: "7.20",
    });
    const mailer = memoryMailer();
    t = await createTestApp(
      db,
      { payments: { wechatpay }, mailer },
      { ...billingEnv(), PASSWORD_SCRYPT_LOG_N: "12" },
    );
    owner = (await signedUpPerson(t, mailer, "wang@example.com", { organization_name: "Shenzhen Co" }))
      .browser;
  }, 60_000);
  afterAll(async () => {
    await fake?.close();
    await db?.cleanup();
  });

  const notify = (n: { headers: Record<string, string>; body: string }) =>
    t.app.request("/v1/webhooks/wechatpay", { method: "POST", headers: n.headers, body: n.body });
  const wallet = async () => (await owner.call("GET", "/v1/billing/wallet")).body;

  it("converts to fen at the operator's rate in integer arithmetic", () => {
    expect(fenOf(10_000_000, "7.20")).toBe(7200);
    expect(fenOf(1_230_000, "7.1234")).toBe(876);
  });

  it("Native pay: a request signed with the merchant key, a platform-signed answer, a code_url to scan", async () => {
    const r = await owner.call("POST", "/v1/billing/top-ups", {
      body: { provider: "wechatpay", amount_usd: "10.00", method: "qr" },
    });
    expect(r.status).toBe(201);
    expect(r.body.qr_code).toBe(`weixin://wxpay/bizpayurl?pr=${r.body.payment_id}`);
    expect(r.body.url).toBeNull();
    expect(fake.orders.at(-1)).toEqual({
      out_trade_no: r.body.payment_id,
      amount: { total: 7200, currency: "CNY" },
      notify_url: "http://localhost/v1/webhooks/wechatpay",
    });
    expect(fake.rejected).toBe(0);
  });

  it("an adapter with the wrong merchant key is refused by the gateway, and the caller gets an error", async () => {
    const other = await startWechatPayFake();
    try {
      const wrong = createWechatPayBilling({
        mchid: fake.mchid,
        appid: fake.appid,
        merchantSerial: fake.merchantSerial,
        merchantPrivateKey: other.merchantPrivateKey,
        platformSerial: fake.platformSerial,
        platformPublicKey: fake.platformPublicKey,
        apiV3Key: fake.apiV3Key,
        baseUrl: fake.baseUrl,
        notifyUrl: "http://localhost/v1/webhooks/wechatpay",
        cnyPerUsd: "7.20",
      });
      const before = fake.rejected;
      await expect(
        wrong.startTopUp({
          paymentId: "pay_wrongkey",
          tenantId: "ten_x",
          amountMicros: 1_000_000,
          subject: "x",
          returnUrl: "http://localhost/billing",
        }),
      ).rejects.toThrow();
      expect(fake.rejected).toBe(before + 1);
    } finally {
      await other.close();
    }
  });

  it("a notification delivered three times credits once; tampered ones get the uniform error body", async () => {
    const top = await owner.call("POST", "/v1/billing/top-ups", {
      body: { provider: "wechatpay", amount_usd: "10.00" },
    });
    expect(top.status).toBe(201);
    const tx = { out_trade_no: top.body.payment_id, transaction_id: "4200000000202611300001", total: 7200 };
    for (const tamper of ["signature", "ciphertext", "serial"] as const) {
      const bad = await notify(fake.notification(tx, { tamper }));
      expect(bad.status).toBe(400);
      expect(bad.headers.get("content-type")).toContain("application/problem+json");
      expect(await bad.json()).toMatchObject({
        code: "bad_request",
        errors: [{ field: "wechatpay-signature" }],
      });
    }
    // A genuine notification for another amount credits nothing.
    const wrongAmount = await notify(fake.notification({ ...tx, total: 1 }));
    expect(wrongAmount.status).toBe(400);
    expect(await wrongAmount.json()).toMatchObject({ errors: [{ field: "resource.amount.total" }] });
    expect((await wallet()).wallet_micros).toBe(0);

    // WeChat Pay redelivers until it gets 2xx: each delivery is freshly signed, the transaction the same.
    for (let i = 0; i < 3; i++) {
      const r = await notify(fake.notification(tx));
      expect(r.status).toBe(204);
    }
    const w = await wallet();
    expect(w.wallet_micros).toBe(10_000_000);
    const topUps = w.data.filter((e: { kind: string }) => e.kind === "top_up");
    expect(topUps).toHaveLength(1);
    expect(topUps[0].detail).toMatchObject({ provider: "wechatpay" });
    const month = new Date().toISOString().slice(0, 7);
    const s = (await owner.call("GET", `/v1/billing/statements/${month}`)).body;
    expect(s.top_ups).toEqual([
      expect.objectContaining({ provider: "wechatpay", amount_micros: 10_000_000 }),
    ]);
  });

  it("a notification for an unknown order is refused by name", async () => {
    const r = await notify(
      fake.notification({ out_trade_no: "pay_nope", transaction_id: "4200000000202611300002", total: 7200 }),
    );
    expect(r.status).toBe(400);
    expect(await r.json()).toMatchObject({
      code: "bad_request",
      errors: [{ field: "resource.out_trade_no" }],
    });
  });
});
