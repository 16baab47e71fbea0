import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local stand-in for Stripe's HTTP API, reached by the real `stripe` client through its host/port/
 * protocol options. It speaks Stripe's wire format (form-encoded requests with bracketed keys, JSON
 * objects with `id` and `object`, errors as `{ error: { type, message } }`) for the calls billing makes.
 */
export interface StripeFake {
  url: string;
  requests: { method: string; path: string; auth: string | undefined; form: Record<string, string> }[];
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

/** `metadata[plan_id]=pro` -> { plan_id: "pro" } for one top-level key. */
function nested(form: Record<string, string>, key: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(form)) {
    const m = k.match(new RegExp(`^${key}\\[([^\\]]+)\\]$`));
    if (m) out[m[1]!] = v;
  }
  return out;
}

export async function startStripeFake(): Promise<StripeFake> {
  const requests: StripeFake["requests"] = [];
  let n = 0;
  const server = createServer(async (req, res) => {
    const form = Object.fromEntries(new URLSearchParams(await read(req)));
    requests.push({ method: req.method!, path: req.url!, auth: req.headers.authorization, form });
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json", "request-id": `req_fake_${++n}` });
      res.end(JSON.stringify(body));
    };
    if (!req.headers.authorization?.startsWith("Bearer sk_test_")) {
      return send(401, { error: { type: "invalid_request_error", message: "Invalid API Key provided" } });
    }
    if (req.method === "POST" && req.url === "/v1/checkout/sessions") {
      const id = `cs_test_${++n}`;
      return send(200, {
        id,
        object: "checkout.session",
        mode: form.mode,
        client_reference_id: form.client_reference_id ?? null,
        customer: form.customer ?? null,
        metadata: nested(form, "metadata"),
        status: "open",
        url: `https://checkout.stripe.test/c/pay/${id}`,
      });
    }
    if (req.method === "POST" && req.url === "/v1/billing_portal/sessions") {
      return send(200, {
        id: `bps_${++n}`,
        object: "billing_portal.session",
        customer: form.customer,
        url: `https://billing.stripe.test/p/session/${n}`,
      });
    }
    send(404, {
      error: {
        type: "invalid_request_error",
        message: `Unrecognized request URL (${req.method}: ${req.url})`,
      },
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
