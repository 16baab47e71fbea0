import { z } from "@hono/zod-openapi";
import { type Plan, QUOTA_NAMES } from "../../billing/plans.js";
import { UsdString, usd } from "../money.js";

export const security: Record<string, string[]>[] = [{ bearerAuth: [] }, { sessionCookie: [] }];

const Limit = z.number().int().nullable().openapi({ description: "null = unlimited" });

export const PlanSchema = z
  .object({
    id: z.string().openapi({ example: "pro" }),
    name: z.string(),
    monthly_price_micros: z.number().int(),
    monthly_price_usd: UsdString,
    currency: z.string(),
    included_credit_micros: z.number().int(),
    included_credit_usd: UsdString,
    quotas: z.object(
      Object.fromEntries(QUOTA_NAMES.map((q) => [q, Limit])) as Record<
        (typeof QUOTA_NAMES)[number],
        typeof Limit
      >,
    ),
    allowed_models: z.array(z.string()).nullable(),
    rate_limit_per_minute: z.number().int().nullable(),
    overage: z.enum(["block", "wallet"]),
    markup: z.object({ default: z.number(), models: z.record(z.string(), z.number()) }),
    purchasable: z
      .boolean()
      .openapi({ description: "Whether Checkout sells it (a Stripe price is configured)." }),
  })
  .openapi("Plan");

export function toPlan(p: Plan) {
  return {
    id: p.id,
    name: p.name,
    monthly_price_micros: p.monthly_price_micros,
    monthly_price_usd: usd(p.monthly_price_micros),
    currency: p.currency,
    included_credit_micros: p.included_credit_micros,
    included_credit_usd: usd(p.included_credit_micros),
    quotas: p.quotas,
    allowed_models: p.allowed_models,
    rate_limit_per_minute: p.rate_limit_per_minute,
    overage: p.overage,
    markup: p.markup,
    purchasable: p.stripe_price_id !== undefined,
  };
}

export const WalletBalance = {
  wallet_micros: z.number().int(),
  wallet_usd: UsdString,
  floor_micros: z.number().int(),
  floor_usd: UsdString,
};

export const WalletEntry = z
  .object({
    id: z.string(),
    kind: z.enum(["usage", "top_up", "code", "credit"]),
    amount_micros: z.number().int(),
    amount_usd: UsdString,
    ref: z.string().nullable(),
    detail: z.record(z.string(), z.unknown()),
    created_at: z.string(),
  })
  .openapi("WalletEntry");

/** A positive USD amount: negative and zero amounts are refused by name. */
export const PositiveUsd = z
  .union([
    z.number().positive().max(10_000_000),
    z
      .string()
      .regex(/^\d{1,8}(\.\d{1,6})?$/, "a positive decimal amount such as 12.50 (at most six decimal places)"),
  ])
  .refine((v) => Number(v) > 0, "must be greater than 0")
  .openapi({
    description: 'USD, as a number or a decimal string (e.g. "25.00"); more than 0.',
    example: "25.00",
  });
