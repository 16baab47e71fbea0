import type { Config } from "../../config.js";
import { createAlipayBilling } from "./alipay.js";
import { createStripeBilling } from "./stripe.js";
import type { Payments } from "./types.js";
import { createWechatPayBilling } from "./wechatpay.js";

/** Keys may be given as PEM or as one base64 line (what Alipay's console shows). */
const pem = (v: string) => v.replace(/\\n/g, "\n");

/** The payment providers the configuration enables (Node entry only: the SDKs need Node). */
export function createPayments(config: Config): Payments {
  const base = config.PUBLIC_URL ?? `http://localhost:${config.PORT}`;
  const out: Payments = {};
  if (config.STRIPE_SECRET_KEY && config.STRIPE_WEBHOOK_SECRET) {
    out.stripe = createStripeBilling({
      secretKey: config.STRIPE_SECRET_KEY,
      webhookSecret: config.STRIPE_WEBHOOK_SECRET,
      ...(config.STRIPE_API_URL ? { apiUrl: config.STRIPE_API_URL } : {}),
    });
  }
  if (config.ALIPAY_APP_ID && config.ALIPAY_PRIVATE_KEY && config.ALIPAY_PUBLIC_KEY) {
    out.alipay = createAlipayBilling({
      appId: config.ALIPAY_APP_ID,
      privateKey: pem(config.ALIPAY_PRIVATE_KEY),
      alipayPublicKey: pem(config.ALIPAY_PUBLIC_KEY),
      ...(config.ALIPAY_GATEWAY ? { gateway: config.ALIPAY_GATEWAY } : {}),
      notifyUrl: `${base}/v1/webhooks/alipay`,
      cnyPerUsd: config.ALIPAY_CNY_PER_USD,
    });
  }
  const w = config;
  if (
    w.WECHATPAY_MCHID &&
    w.WECHATPAY_APPID &&
    w.WECHATPAY_MERCHANT_SERIAL &&
    w.WECHATPAY_PRIVATE_KEY &&
    w.WECHATPAY_PLATFORM_SERIAL &&
    w.WECHATPAY_PLATFORM_PUBLIC_KEY &&
    w.WECHATPAY_API_V3_KEY
  ) {
    out.wechatpay = createWechatPayBilling({
      mchid: w.WECHATPAY_MCHID,
      appid: w.WECHATPAY_APPID,
      merchantSerial: w.WECHATPAY_MERCHANT_SERIAL,
      merchantPrivateKey: pem(w.WECHATPAY_PRIVATE_KEY),
      platformSerial: w.WECHATPAY_PLATFORM_SERIAL,
      platformPublicKey: pem(w.WECHATPAY_PLATFORM_PUBLIC_KEY),
      apiV3Key: w.WECHATPAY_API_V3_KEY,
      ...(w.WECHATPAY_BASE_URL ? { baseUrl: w.WECHATPAY_BASE_URL } : {}),
      notifyUrl: `${base}/v1/webhooks/wechatpay`,
      cnyPerUsd: w.WECHATPAY_CNY_PER_USD,
    });
  }
  return out;
}
