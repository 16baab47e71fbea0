import { createSign, createVerify, generateKeyPairSync } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local stand-in for Alipay's open-platform gateway (gateway.do): it checks the RSA2 signature of
 * each request with the app's public key, answers alipay.trade.precreate in Alipay's JSON shape, and
 * signs asynchronous notifications with its own private key, as Alipay does.
 */
export interface AlipayFake {
  gateway: string;
  appPrivateKey: string;
  alipayPublicKey: string;
  calls: Record<string, string>[];
  /** A notification form body for a paid order, signed (or not) with Alipay's key. */
  notifyBody(params: Record<string, string>, opts?: { tamper?: boolean }): string;
  close(): Promise<void>;
}

const signContent = (p: Record<string, string>) =>
  Object.keys(p)
    .filter((k) => k !== "sign" && p[k] !== undefined && p[k] !== "")
    .sort()
    .map((k) => `${k}=${p[k]}`)
    .join("&");

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => resolve(body));
  });
}

export async function startAlipayFake(): Promise<AlipayFake> {
  const app = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const alipay = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  const calls: Record<string, string>[] = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url!, "http://x");
    const params = {
      ...Object.fromEntries(url.searchParams),
      ...Object.fromEntries(new URLSearchParams(await read(req))),
    };
    calls.push(params);
    const ok = createVerify("RSA-SHA256")
      .update(signContent(params))
      .verify(app.publicKey, params.sign ?? "", "base64");
    const key = `${(params.method ?? "unknown").replaceAll(".", "_")}_response`;
    const biz = JSON.parse(params.biz_content ?? "{}");
    const body = ok
      ? {
          code: "10000",
          msg: "Success",
          out_trade_no: biz.out_trade_no,
          qr_code: `https://qr.alipay.test/${biz.out_trade_no}`,
        }
      : {
          code: "40002",
          msg: "Invalid Arguments",
          sub_code: "isv.invalid-signature",
          sub_msg: "bad signature",
        };
    res.writeHead(200, { "content-type": "application/json;charset=utf-8" });
    res.end(JSON.stringify({ [key]: body, sign: "unsigned-in-fake" }));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    gateway: `http://127.0.0.1:${port}/gateway.do`,
    appPrivateKey: app.privateKey,
    alipayPublicKey: alipay.publicKey,
    calls,
    notifyBody(params, opts = {}) {
      const full = { ...params, sign_type: "RSA2" };
      const sign = createSign("RSA-SHA256").update(signContent(full)).sign(alipay.privateKey, "base64");
      const sent = opts.tamper ? { ...full, total_amount: "999.00" } : full;
      return new URLSearchParams({ ...sent, sign }).toString();
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}
