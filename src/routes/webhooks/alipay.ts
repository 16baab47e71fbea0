import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { yuanOf } from "../../billing/payments/alipay.js";
import type { AppEnv } from "../../context.js";
import { payments } from "../../db/schema.js";
import { ApiError } from "../../errors.js";
import { completeTopUp, firstDelivery } from "../../services/billing/payments.js";
import { errorResponses } from "../common.js";

export const route = createRoute({
  method: "post",
  path: "/webhooks/alipay",
  tags: ["Billing"],
  summary: "Alipay's asynchronous notification: RSA2-verified, credited once per order; answers `success`",
  request: {
    body: {
      required: true,
      content: { "application/x-www-form-urlencoded": { schema: z.record(z.string(), z.string()) } },
    },
  },
  responses: {
    200: {
      description: "`success` (Alipay stops redelivering)",
      content: { "text/plain": { schema: z.string() } },
    },
    ...errorResponses(503),
  },
});

const PAID = new Set(["TRADE_SUCCESS", "TRADE_FINISHED"]);

export function register(app: OpenAPIHono<AppEnv>) {
  app.post("/webhooks/alipay", async (c) => {
    const deps = c.get("deps");
    const alipay = deps.payments?.alipay;
    if (!alipay) throw new ApiError("unavailable", "Alipay is not configured on this server.");
    const params = Object.fromEntries(new URLSearchParams(await c.req.text())) as Record<string, string>;
    if (!alipay.verifyNotify(params)) {
      throw new ApiError("bad_request", "The notification's RSA2 signature is not Alipay's.", {
        errors: [{ field: "sign", message: "signature verification failed" }],
      });
    }
    if (!PAID.has(params.trade_status ?? "")) return c.text("success");
    const { db } = deps.database;
    await db.transaction(async (tx) => {
      const [pay] = await tx
        .select()
        .from(payments)
        .where(eq(payments.id, params.out_trade_no ?? ""))
        .limit(1);
      if (pay?.provider !== "alipay") throw new ApiError("bad_request", "Unknown out_trade_no.");
      // A genuine notification for another amount (a tampered order) must not credit what we asked for.
      if (params.total_amount !== yuanOf(pay.amountMicros, deps.config.ALIPAY_CNY_PER_USD))
        throw new ApiError("bad_request", "total_amount does not match the order.");
      const eventId = params.notify_id ?? params.trade_no ?? pay.id;
      if (
        !(await firstDelivery(tx, {
          id: `alipay:${params.trade_no ?? eventId}`,
          provider: "alipay",
          type: params.trade_status!,
          tenantId: pay.tenantId,
        }))
      )
        return;
      await completeTopUp(deps, tx, { paymentId: pay.id, provider: "alipay", eventId });
    });
    return c.text("success");
  });
  app.openAPIRegistry.registerPath(route);
}
