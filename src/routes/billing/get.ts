import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { actionCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { billingOverview, quotaReport } from "../../services/billing/views.js";
import { errorResponses, isoDate, jsonResponse } from "../common.js";
import { UsdString, usd } from "../money.js";
import { PlanSchema, security, toPlan, WalletBalance } from "./schema.js";

export const planRoute = createRoute({
  method: "get",
  path: "/billing/plan",
  tags: ["Billing"],
  summary: "The organization's plan, subscription state and wallet balance (billing and owner roles)",
  security,
  responses: {
    200: jsonResponse(
      z.object({
        plan: PlanSchema,
        status: z.enum(["active", "past_due"]),
        past_due_since: z.string().nullable(),
        grace_days: z.number().int(),
        enforced: z.boolean().openapi({ description: "false when the server runs with BILLING=off" }),
        included_credit_left_micros: z.number().int().openapi({
          description:
            "What is left this UTC month of the plan's included credit, which pays overage before the wallet.",
        }),
        included_credit_left_usd: UsdString,
        ...WalletBalance,
      }),
      "The plan.",
    ),
    ...errorResponses(403),
  },
});

export const quotaRoute = createRoute({
  method: "get",
  path: "/billing/quota",
  tags: ["Billing"],
  summary: "Use against every quota of the plan this month",
  security,
  responses: {
    200: jsonResponse(
      z.object({
        plan: z.string(),
        month: z.string().openapi({ example: "2026-11" }),
        data: z.array(
          z.object({ quota: z.string(), use: z.number().int(), limit: z.number().int().nullable() }),
        ),
      }),
      "Use and limits.",
    ),
    ...errorResponses(403),
  },
});

export const plansRoute = createRoute({
  method: "get",
  path: "/billing/plans",
  tags: ["Billing"],
  summary: "The plans on offer, with prices, quotas and markups (transparent cost)",
  security,
  responses: {
    200: jsonResponse(z.object({ data: z.array(PlanSchema), default_plan: z.string() }), "The catalog."),
    ...errorResponses(403),
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(planRoute, async (c) => {
    const ctx = actionCtx(c, "billing.manage");
    const o = await billingOverview(ctx);
    return c.json(
      {
        plan: toPlan(o.plan),
        status: o.status as "active" | "past_due",
        past_due_since: isoDate(o.pastDueSince),
        grace_days: ctx.deps.config.BILLING_GRACE_DAYS,
        enforced: o.enforced,
        included_credit_left_micros: o.includedLeftMicros,
        included_credit_left_usd: usd(o.includedLeftMicros),
        wallet_micros: o.walletMicros,
        wallet_usd: usd(o.walletMicros),
        floor_micros: o.floorMicros,
        floor_usd: usd(o.floorMicros),
      },
      200,
    );
  });
  app.openapi(quotaRoute, async (c) => {
    const r = await quotaReport(actionCtx(c, "billing.manage"));
    return c.json({ plan: r.plan.id, month: r.month, data: r.quotas }, 200);
  });
  app.openapi(plansRoute, async (c) => {
    const { config } = actionCtx(c, "billing.manage").deps;
    return c.json({ data: config.plans.plans.map(toPlan), default_plan: config.plans.defaultPlanId }, 200);
  });
}
