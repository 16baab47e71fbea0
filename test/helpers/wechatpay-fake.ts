import {
  createCipheriv,
  createSign,
  createVerify,
  generateKeyPairSync,
  randomBytes,
  randomUUID,
} from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local stand-in for WeChat Pay's API v3 gateway, written from the protocol with node:crypto only (not
 * with the SDK under test): it checks each request's `WECHATPAY2-SHA256-RSA2048` Authorization against
 * the merchant's public key, answers Native pay with a code_url, signs its answers and notifications
 * with the platform key, and encrypts notification resources with the APIv3 key (AES-256-GCM).
 * Every key is generated here, per test run.
 */
export interface WechatPayFake {
  baseUrl: string;
  mchid: string;
  appid: string;
  merchantSerial: string;
  merchantPrivateKey: string;
  platformSerial: string;
  platformPublicKey: string;
  apiV3Key: string;
  orders: { out_trade_no: string; amount: { total: number; currency: string }; notify_url: string }[];
  rejected: number;
  /** A TRANSACTION.SUCCESS notification for an order: headers and raw body, signed (or tampered). */
  notification(
    tx: { out_trade_no: string; transaction_id: string; total: number; mchid?: string },
    opts?: { tamper?: "signature" | "ciphertext" | "serial" },
  ): { headers: Record<string, string>; body: string };
  close(): Promise<void>;
}

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => resolve(body));
  });
}

const keyPair = () =>
  generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });

const sign = (message: string, key: string) => createSign("RSA-SHA256").update(message).sign(key, "base64");

export async function startWechatPayFake(): Promise<WechatPayFake> {
  const merchant = keyPair();
  const platform = keyPair();
  const mchid = "1900000109";
  const appid = "wxd678efh567hg6787";
  const merchantSerial = randomBytes(20).toString("hex").toUpperCase();
  const platformSerial = `PUB_KEY_ID_${randomBytes(12).toString("hex")}`;
  const apiV3Key = randomBytes(16).toString("hex"); // 32 ASCII bytes, as the merchant platform sets it
  const orders: WechatPayFake["orders"] = [];
  const state = { rejected: 0 };

  /** Platform-signed headers for a body, as WeChat Pay sends them on answers and notifications. */
  const signedHeaders = (body: string) => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = randomBytes(16).toString("hex");
    return {
      "wechatpay-timestamp": timestamp,
      "wechatpay-nonce": nonce,
      "wechatpay-serial": platformSerial,
      "wechatpay-signature": sign(`${timestamp}\n${nonce}\n${body}\n`, platform.privateKey),
    };
  };

  const server = createServer(async (req, res) => {
    const body = await read(req);
    const send = (status: number, payload: unknown) => {
      const text = JSON.stringify(payload);
      res.writeHead(status, { "content-type": "application/json", ...signedHeaders(text) });
      res.end(text);
    };
    const auth = req.headers.authorization ?? "";
    const m = auth.match(/^WECHATPAY2-SHA256-RSA2048 (.*)$/);
    const fields = Object.fromEntries(
      [...(m?.[1] ?? "").matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1]!, x[2]!]),
    );
    const message = `${req.method}\n${req.url}\n${fields.timestamp}\n${fields.nonce_str}\n${body}\n`;
    const genuine =
      fields.mchid === mchid &&
      fields.serial_no === merchantSerial &&
      !!fields.signature &&
      createVerify("RSA-SHA256").update(message).verify(merchant.publicKey, fields.signature, "base64");
    if (!genuine) {
      state.rejected++;
      return send(401, { code: "SIGN_ERROR", message: "签名错误" });
    }
    if (req.method === "POST" && req.url === "/v3/pay/transactions/native") {
      const order = JSON.parse(body);
      if (order.mchid !== mchid || order.appid !== appid || !Number.isInteger(order.amount?.total))
        return send(400, { code: "PARAM_ERROR", message: "参数错误" });
      orders.push({ out_trade_no: order.out_trade_no, amount: order.amount, notify_url: order.notify_url });
      return send(200, { code_url: `weixin://wxpay/bizpayurl?pr=${order.out_trade_no}` });
    }
    send(404, { code: "NOT_FOUND", message: `${req.method} ${req.url}` });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/`,
    mchid,
    appid,
    merchantSerial,
    merchantPrivateKey: merchant.privateKey,
    platformSerial,
    platformPublicKey: platform.publicKey,
    apiV3Key,
    orders,
    get rejected() {
      return state.rejected;
    },
    notification(tx, opts = {}) {
      const resourcePlain = JSON.stringify({
        mchid: tx.mchid ?? mchid,
        appid,
        out_trade_no: tx.out_trade_no,
        transaction_id: tx.transaction_id,
        trade_type: "NATIVE",
        trade_state: "SUCCESS",
        trade_state_desc: "支付成功",
        success_time: new Date().toISOString(),
        payer: { openid: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o" },
        amount: { total: tx.total, payer_total: tx.total, currency: "CNY", payer_currency: "CNY" },
      });
      const nonce = randomBytes(6).toString("hex");
      const aad = "transaction";
      const cipher = createCipheriv("aes-256-gcm", apiV3Key, nonce).setAAD(Buffer.from(aad));
      const sealed = Buffer.concat([
        cipher.update(resourcePlain, "utf8"),
        cipher.final(),
        cipher.getAuthTag(),
      ]);
      if (opts.tamper === "ciphertext") sealed[0]! ^= 1;
      const body = JSON.stringify({
        id: randomUUID(),
        create_time: new Date().toISOString(),
        resource_type: "encrypt-resource",
        event_type: "TRANSACTION.SUCCESS",
        summary: "支付成功",
        resource: {
          original_type: "transaction",
          algorithm: "AEAD_AES_256_GCM",
          ciphertext: sealed.toString("base64"),
          associated_data: aad,
          nonce,
        },
      });
      const headers: Record<string, string> = { "content-type": "application/json", ...signedHeaders(body) };
      if (opts.tamper === "signature") {
        // Signed by someone else's key: the shape is right, the signer is not WeChat Pay.
        const other = keyPair();
        const { "wechatpay-timestamp": ts, "wechatpay-nonce": n } = headers;
        headers["wechatpay-signature"] = sign(`${ts}\n${n}\n${body}\n`, other.privateKey);
      }
      if (opts.tamper === "serial") headers["wechatpay-serial"] = "PUB_KEY_ID_unknown";
      return { headers, body };
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}
