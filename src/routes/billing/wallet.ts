import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { actionCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { redeemCode } from "../../services/billing/codes.js";
import { billingOverview, walletHistory } from "../../services/billing/views.js";
import { errorResponses, jsonBody, jsonResponse, PageQuery } from "../common.js";
import { usd } from "../money.js";
import { security, WalletBalance, WalletEntry } from "./schema.js";

export const walletRoute = createRoute({
  method: "get",
  path: "/billing/wallet",
  tags: ["Billing"],
  summary: "The prepaid wallet: balance, floor and entries (top-ups, codes, credits, usage), newest first",
  security,
  request: { query: PageQuery },
  responses: {
    200: jsonResponse(
      z.object({ ...WalletBalance, data: z.array(WalletEntry), next_cursor: z.string().nullable() }),
      "The wallet.",
    ),
    ...errorResponses(403),
  },
});

export const redeemRoute = createRoute({
  method: "post",
  path: "/billing/redeem",
  tags: ["Billing"],
  summary: "Redeem a single-use code into the wallet (audited)",
  security,
  request: {
    body: jsonBody(
      z.strictObject({ code: z.string().min(4).max(64).openapi({ example: "AIH-7K3M-9X2P-4Q5R-6S7T" }) }),
    ),
  },
  responses: {
    200: jsonResponse(
      z.object({ amount_micros: z.number().int(), amount_usd: z.string(), ...WalletBalance }),
      "Credited.",
    ),
    ...errorResponses(403, 404, 409, 410),
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(walletRoute, async (c) => {
    const ctx = actionCtx(c, "billing.manage");
    const [o, page] = await Promise.all([billingOverview(ctx), walletHistory(ctx, c.req.valid("query"))]);
    return c.json(
      {
        wallet_micros: o.walletMicros,
        wallet_usd: usd(o.walletMicros),
        floor_micros: o.floorMicros,
        floor_usd: usd(o.floorMicros),
        data: page.items.map((e) => ({
          id: e.id,
          kind: e.kind as "usage",
          amount_micros: e.amountMicros,
          amount_usd: usd(e.amountMicros),
          ref: e.ref,
          detail: e.detail,
          created_at: e.createdAt.toISOString(),
        })),
        next_cursor: page.nextCursor,
      },
      200,
    );
  });
  app.openapi(redeemRoute, async (c) => {
    const ctx = actionCtx(c, "billing.manage");
    const r = await redeemCode({ ctx, input: c.req.valid("json") });
    const o = await billingOverview(ctx);
    return c.json(
      {
        amount_micros: r.amountMicros,
        amount_usd: usd(r.amountMicros),
        wallet_micros: o.walletMicros,
        wallet_usd: usd(o.walletMicros),
        floor_micros: o.floorMicros,
        floor_usd: usd(o.floorMicros),
      },
      200,
    );
  });
}
