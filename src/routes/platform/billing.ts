import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../context.js";
import { creditOrganization, listBalances, setPlanByAdmin } from "../../services/billing/admin.js";
import { generateCodes } from "../../services/billing/codes.js";
import { PlanSchema, PositiveUsd, toPlan } from "../billing/schema.js";
import { errorResponses, isoDate, jsonBody, jsonResponse, PageQuery } from "../common.js";
import { UsdString, usd, usdToMicros } from "../money.js";
import { IdParam, platformCtx, security } from "./schema.js";

export const plansRoute = createRoute({
  method: "get",
  path: "/platform/plans",
  tags: ["Platform"],
  summary: "The plan catalog (BILLING_PLANS_JSON) as loaded at start",
  security,
  responses: {
    200: jsonResponse(z.object({ data: z.array(PlanSchema), default_plan: z.string() }), "The catalog."),
    ...errorResponses(403),
  },
});

export const codesRoute = createRoute({
  method: "post",
  path: "/platform/redemption-codes",
  tags: ["Platform"],
  summary: "Generate a batch of single-use redemption codes (shown once; audited)",
  security,
  request: {
    body: jsonBody(
      z.strictObject({
        count: z.number().int().min(1).max(1000).openapi({ example: 10 }),
        amount_usd: PositiveUsd,
        expires_at: z.string().datetime().optional(),
        note: z.string().max(200).optional(),
      }),
    ),
  },
  responses: {
    201: jsonResponse(
      z.object({
        batch_id: z.string(),
        amount_micros: z.number().int(),
        amount_usd: UsdString,
        expires_at: z.string().nullable(),
        codes: z.array(z.string()),
      }),
      "The batch.",
    ),
    ...errorResponses(403),
  },
});

export const balancesRoute = createRoute({
  method: "get",
  path: "/platform/balances",
  tags: ["Platform"],
  summary: "Every organization's plan, subscription state and wallet balance",
  security,
  request: { query: PageQuery },
  responses: {
    200: jsonResponse(
      z.object({
        data: z.array(
          z.object({
            id: z.string(),
            name: z.string(),
            plan: z.string(),
            status: z.string(),
            wallet_micros: z.number().int(),
            wallet_usd: UsdString,
          }),
        ),
        next_cursor: z.string().nullable(),
      }),
      "A page.",
    ),
    ...errorResponses(403),
  },
});

export const creditRoute = createRoute({
  method: "post",
  path: "/platform/organizations/{id}/credits",
  tags: ["Platform"],
  summary: "Credit an organization's wallet by hand (audited with the reason)",
  security,
  request: {
    params: IdParam,
    body: jsonBody(z.strictObject({ amount_usd: PositiveUsd, reason: z.string().min(1).max(500) })),
  },
  responses: {
    200: jsonResponse(
      z.object({ id: z.string(), plan: z.string(), wallet_micros: z.number().int(), wallet_usd: UsdString }),
      "Credited.",
    ),
    ...errorResponses(403, 404),
  },
});

export const setPlanRoute = createRoute({
  method: "put",
  path: "/platform/organizations/{id}/plan",
  tags: ["Platform"],
  summary: "Move an organization to a plan at once (no proration; audited)",
  security,
  request: {
    params: IdParam,
    body: jsonBody(
      z.strictObject({ plan_id: z.string().min(1).max(64), reason: z.string().max(500).optional() }),
    ),
  },
  responses: {
    200: jsonResponse(z.object({ id: z.string(), plan: z.string() }), "Changed."),
    ...errorResponses(403, 404),
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(plansRoute, async (c) => {
    const { config } = platformCtx(c).deps;
    return c.json({ data: config.plans.plans.map(toPlan), default_plan: config.plans.defaultPlanId }, 200);
  });
  app.openapi(codesRoute, async (c) => {
    const b = c.req.valid("json");
    const r = await generateCodes(platformCtx(c), {
      count: b.count,
      amountMicros: usdToMicros(b.amount_usd),
      expiresAt: b.expires_at ? new Date(b.expires_at) : null,
      ...(b.note ? { note: b.note } : {}),
    });
    return c.json(
      {
        batch_id: r.batchId,
        amount_micros: r.amountMicros,
        amount_usd: usd(r.amountMicros),
        expires_at: isoDate(r.expiresAt),
        codes: r.codes,
      },
      201,
    );
  });
  app.openapi(balancesRoute, async (c) => {
    const page = await listBalances(platformCtx(c), c.req.valid("query"));
    return c.json(
      {
        data: page.items.map((r) => ({
          id: r.id,
          name: r.name,
          plan: r.planId,
          status: r.status,
          wallet_micros: r.walletMicros,
          wallet_usd: usd(r.walletMicros),
        })),
        next_cursor: page.nextCursor,
      },
      200,
    );
  });
  app.openapi(creditRoute, async (c) => {
    const b = c.req.valid("json");
    const r = await creditOrganization(platformCtx(c), {
      tenantId: c.req.valid("param").id,
      amountMicros: usdToMicros(b.amount_usd),
      reason: b.reason,
    });
    return c.json(
      { id: r.tenantId, plan: r.planId, wallet_micros: r.walletMicros, wallet_usd: usd(r.walletMicros) },
      200,
    );
  });
  app.openapi(setPlanRoute, async (c) => {
    const b = c.req.valid("json");
    const r = await setPlanByAdmin(platformCtx(c), {
      tenantId: c.req.valid("param").id,
      planId: b.plan_id,
      reason: b.reason ?? "",
    });
    return c.json({ id: r.tenantId, plan: r.planId }, 200);
  });
}
