import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { actionCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { ApiError } from "../../errors.js";
import { portalLink, startSubscriptionCheckout, startTopUp } from "../../services/billing/checkout.js";
import { errorResponses, jsonBody, jsonResponse } from "../common.js";
import { usdToMicros } from "../money.js";
import { PositiveUsd, security } from "./schema.js";

const Started = z.object({
  payment_id: z.string(),
  external_id: z.string(),
  url: z.string().nullable().openapi({ description: "Where to send the payer." }),
  qr_code: z
    .string()
    .nullable()
    .openapi({ description: "What the payer scans (Alipay QR, WeChat Pay's code_url)." }),
});

export const checkoutRoute = createRoute({
  method: "post",
  path: "/billing/checkout",
  tags: ["Billing"],
  summary: "Start Stripe Checkout for a plan's subscription; the plan changes when Stripe confirms payment",
  security,
  request: {
    body: jsonBody(z.strictObject({ plan_id: z.string().min(1).max(64).openapi({ example: "pro" }) })),
  },
  responses: { 201: jsonResponse(Started, "Checkout started."), ...errorResponses(403, 503) },
});

export const topUpRoute = createRoute({
  method: "post",
  path: "/billing/top-ups",
  tags: ["Billing"],
  summary:
    "Start a wallet top-up by card (Stripe Checkout), Alipay (page pay or QR) or WeChat Pay (Native QR)",
  security,
  request: {
    body: jsonBody(
      z.strictObject({
        provider: z.enum(["stripe", "alipay", "wechatpay"]),
        amount_usd: PositiveUsd,
        method: z
          .enum(["page", "qr"])
          .default("page")
          .openapi({ description: "Alipay only: cashier page or QR (WeChat Pay is always a Native QR)." }),
      }),
    ),
  },
  responses: { 201: jsonResponse(Started, "Payment started."), ...errorResponses(403, 503) },
});

export const portalRoute = createRoute({
  method: "post",
  path: "/billing/portal",
  tags: ["Billing"],
  summary: "A link to Stripe's customer portal (payment methods, invoices, cancel)",
  security,
  responses: {
    200: jsonResponse(z.object({ url: z.string() }), "The link."),
    ...errorResponses(403, 409, 503),
  },
});

const started = (r: { paymentId: string; externalId: string; url?: string; qrCode?: string }) => ({
  payment_id: r.paymentId,
  external_id: r.externalId,
  url: r.url ?? null,
  qr_code: r.qrCode ?? null,
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(checkoutRoute, async (c) => {
    const r = await startSubscriptionCheckout(actionCtx(c, "billing.manage"), {
      planId: c.req.valid("json").plan_id,
    });
    return c.json(started(r), 201);
  });
  app.openapi(topUpRoute, async (c) => {
    const b = c.req.valid("json");
    const amountMicros = usdToMicros(b.amount_usd);
    if (amountMicros % 10_000 !== 0 || amountMicros < 1_000_000) {
      throw new ApiError("validation_failed", "Top-ups are whole cents, at least 1.00 USD.", {
        errors: [{ field: "amount_usd", message: "whole cents, at least 1.00" }],
      });
    }
    const r = await startTopUp(actionCtx(c, "billing.manage"), {
      provider: b.provider,
      amountMicros,
      method: b.method,
    });
    return c.json(started(r), 201);
  });
  app.openapi(portalRoute, async (c) => {
    return c.json({ url: await portalLink(actionCtx(c, "billing.manage")) }, 200);
  });
}
