import { Aes, Formatter, Rsa, Wechatpay } from "wechatpay-axios-plugin";
import { fenOf } from "./cny.js";
import type { TopUpOrder, WechatPayBilling, WechatPayNotifyHeaders, WechatPayTransaction } from "./types.js";

/** How far a notification's timestamp may be from our clock: WeChat Pay's own SDKs allow 5 minutes. */
const MAX_CLOCK_SKEW_S = 300;

/**
 * The WeChat Pay (微信支付) adapter, API v3, through the maintained `wechatpay-axios-plugin`: Native pay
 * (POST /v3/pay/transactions/native answers a `code_url` the payer scans). The SDK signs each request
 * (RSA-SHA256 with the merchant key, the `WECHATPAY2-SHA256-RSA2048` Authorization header) and checks
 * the signature of each answer with the platform key; notifications are checked with the same key and
 * their resource decrypted with the APIv3 key (AES-256-GCM) by the SDK's Rsa and Aes helpers.
 */
export function createWechatPayBilling(opts: {
  mchid: string;
  appid: string;
  /** Serial number of the merchant API certificate (signs our requests). */
  merchantSerial: string;
  merchantPrivateKey: string;
  /** Platform certificate serial or WeChat Pay public key id (PUB_KEY_ID_...), and its public key (PEM). */
  platformSerial: string;
  platformPublicKey: string;
  /** The 32-byte APIv3 key set in the merchant platform. */
  apiV3Key: string;
  baseUrl?: string;
  notifyUrl: string;
  cnyPerUsd: string;
}): WechatPayBilling {
  if (Buffer.byteLength(opts.apiV3Key) !== 32) throw new Error("WECHATPAY_API_V3_KEY must be 32 bytes");
  const platformKey = Rsa.from(opts.platformPublicKey, Rsa.KEY_TYPE_PUBLIC);
  const client = new Wechatpay({
    mchid: opts.mchid,
    serial: opts.merchantSerial,
    privateKey: opts.merchantPrivateKey,
    certs: { [opts.platformSerial]: platformKey },
    ...(opts.baseUrl ? { baseURL: opts.baseUrl } : {}),
    timeout: 15_000,
  });
  return {
    id: "wechatpay",
    mchid: opts.mchid,
    async startTopUp(order: TopUpOrder) {
      // Native pay only: the console shows code_url as a QR code (there is no cashier page to send to).
      const native = client.chain("v3/pay/transactions/native");
      const { data } = await native.post<Record<string, unknown>, { data: { code_url?: unknown } }>({
        appid: opts.appid,
        mchid: opts.mchid,
        description: order.subject.slice(0, 127),
        out_trade_no: order.paymentId,
        notify_url: opts.notifyUrl,
        amount: { total: fenOf(order.amountMicros, opts.cnyPerUsd), currency: "CNY" },
      });
      if (typeof data?.code_url !== "string") throw new Error("WeChat Pay answered without a code_url");
      return { externalId: order.paymentId, qrCode: data.code_url };
    },
    openNotification(headers: WechatPayNotifyHeaders, rawBody: string): WechatPayTransaction | null {
      try {
        if (headers.serial !== opts.platformSerial) return null;
        const ts = Number(headers.timestamp);
        if (!Number.isFinite(ts) || Math.abs(Date.now() / 1000 - ts) > MAX_CLOCK_SKEW_S) return null;
        const message = Formatter.response(headers.timestamp, headers.nonce, rawBody);
        if (!Rsa.verify(message, headers.signature, platformKey)) return null;
        const body = JSON.parse(rawBody);
        const r = body?.resource;
        if (r?.algorithm !== "AEAD_AES_256_GCM") return null;
        const plain = Aes.AesGcm.decrypt(r.ciphertext, opts.apiV3Key, r.nonce, r.associated_data ?? "");
        const tx = JSON.parse(plain);
        return {
          notifyId: String(body.id ?? ""),
          eventType: String(body.event_type ?? ""),
          mchid: String(tx.mchid ?? ""),
          appid: String(tx.appid ?? ""),
          out_trade_no: String(tx.out_trade_no ?? ""),
          transaction_id: String(tx.transaction_id ?? ""),
          trade_state: String(tx.trade_state ?? ""),
          amount: { total: Number(tx.amount?.total), currency: String(tx.amount?.currency ?? "") },
        };
      } catch {
        // A forged signature, a wrong key or a tampered ciphertext (the GCM tag fails) all end here.
        return null;
      }
    },
  };
}
