import type { Config } from "../../config.js";
import { createAlipayBilling } from "./alipay.js";
import { createStripeBilling } from "./stripe.js";
import type { Payments } from "./types.js";

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
  return out;
}
