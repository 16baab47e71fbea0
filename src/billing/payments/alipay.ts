import { Socket } from "node:net";
import { scaleDecimal } from "../../models/cost.js";
import type { AlipayBilling, TopUpOrder } from "./types.js";

/**
 * alipay-sdk's HTTP client (urllib 4) replaces `net.Socket.prototype.destroy` for every socket of the
 * process, to tag errors with their socket. Its replacement throws ("Cannot redefine property") when one
 * error destroys a second socket, which @hono/node-server does when a streamed response fails (a
 * database timeout mid-ask), and that throw is uncaught: the soak saw both API processes exit at once.
 * The tagging is a diagnostic nicety, so the SDK is loaded with Node's own destroy put back.
 */
const nodeDestroy = Socket.prototype.destroy;
const { AlipaySdk } = await import("alipay-sdk");
Socket.prototype.destroy = nodeDestroy;

/**
 * Yuan as Alipay wants them ("72.00"), from micro-dollars at the operator's fixed rate, rounded to the
 * fen. Integer arithmetic: rate is a decimal string with up to 6 places.
 */
export function yuanOf(amountMicros: number, cnyPerUsd: string): string {
  const fen = (BigInt(amountMicros) * scaleDecimal(cnyPerUsd, 6) + 5_000_000_000n) / 10_000_000_000n;
  return `${fen / 100n}.${String(fen % 100n).padStart(2, "0")}`;
}

/**
 * The Alipay adapter through the maintained `alipay-sdk`: page pay (alipay.trade.page.pay, a signed
 * URL to the cashier) and QR (alipay.trade.precreate); notifications are checked with RSA2 by the SDK.
 */
export function createAlipayBilling(opts: {
  appId: string;
  privateKey: string;
  alipayPublicKey: string;
  gateway?: string;
  notifyUrl: string;
  cnyPerUsd: string;
}): AlipayBilling {
  const sdk = new AlipaySdk({
    appId: opts.appId,
    privateKey: opts.privateKey,
    alipayPublicKey: opts.alipayPublicKey,
    signType: "RSA2",
    // Alipay's console hands out PKCS#1 keys; openssl and Node write PKCS#8 by default.
    keyType: opts.privateKey.includes("BEGIN PRIVATE KEY") ? "PKCS8" : "PKCS1",
    ...(opts.gateway ? { gateway: opts.gateway } : {}),
  });
  return {
    id: "alipay",
    async startTopUp(order: TopUpOrder, method = "page") {
      const bizContent = {
        out_trade_no: order.paymentId,
        total_amount: yuanOf(order.amountMicros, opts.cnyPerUsd),
        subject: order.subject,
      };
      if (method === "qr") {
        const r = await sdk.exec("alipay.trade.precreate", { bizContent, notify_url: opts.notifyUrl });
        if (r.code !== "10000")
          throw new Error(`Alipay precreate failed: ${r.code} ${r.msg} ${r.subMsg ?? ""}`);
        return { externalId: order.paymentId, qrCode: String(r.qrCode) };
      }
      const url = sdk.pageExecute("alipay.trade.page.pay", "GET", {
        bizContent: { ...bizContent, product_code: "FAST_INSTANT_TRADE_PAY" },
        returnUrl: order.returnUrl,
        notifyUrl: opts.notifyUrl,
      });
      return { externalId: order.paymentId, url };
    },
    verifyNotify(params) {
      try {
        return sdk.checkNotifySign(params);
      } catch {
        return false;
      }
    },
  };
}
