import { z } from "zod";

/**
 * The plan catalog (issue 16): what each plan costs, what it includes, and what it allows. It comes from
 * BILLING_PLANS_JSON (or the defaults below) and is validated once at start with the rest of the config,
 * so a typo in a quota stops the server instead of silently granting an unlimited plan.
 */
const limit = z.number().int().min(0).nullable();

export const QUOTA_NAMES = [
  "requests_per_month",
  "tokens_per_month",
  "storage_bytes",
  "documents",
  "knowledge_bases",
  "members",
  "embeds",
] as const;
export type QuotaName = (typeof QUOTA_NAMES)[number];

export const planSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, "a lowercase id such as pro"),
  name: z.string().min(1).max(80),
  /** Monthly price in integer micro-dollars (money is never a float). */
  monthly_price_micros: z.number().int().min(0),
  currency: z.enum(["usd"]).default("usd"),
  /** Spend the plan covers each month before overage starts. */
  included_credit_micros: z.number().int().min(0).default(0),
  /** null = unlimited. */
  quotas: z.strictObject(
    Object.fromEntries(QUOTA_NAMES.map((q) => [q, limit])) as Record<QuotaName, typeof limit>,
  ),
  /** Chat models the plan may use; null = every configured model. */
  allowed_models: z.array(z.string().min(1)).nullable().default(null),
  /** Requests per minute per key when the key sets none; null = RATE_LIMIT_PER_MINUTE. */
  rate_limit_per_minute: z.number().int().min(0).nullable().default(null),
  /** Past a request or token quota: `block` answers 402, `wallet` bills each call to the prepaid wallet. */
  overage: z.enum(["block", "wallet"]),
  /**
   * Customer price = provider cost × markup, per model with a default. Kept as parts per million so the
   * charge is integer arithmetic (1.25 -> 1_250_000).
   */
  markup: z
    .strictObject({
      default: z.number().min(0).max(100).default(1),
      models: z.record(z.string(), z.number().min(0).max(100)).default({}),
    })
    .default({ default: 1, models: {} }),
  /** Stripe Price for the subscription (Checkout); absent = not sold by card. */
  stripe_price_id: z.string().min(1).optional(),
});
export type Plan = z.infer<typeof planSchema>;

const MB = 1024 * 1024;

export const DEFAULT_PLANS: Plan[] = [
  {
    id: "free",
    name: "Free",
    monthly_price_micros: 0,
    currency: "usd",
    included_credit_micros: 0,
    quotas: {
      requests_per_month: 100,
      tokens_per_month: 200_000,
      storage_bytes: 50 * MB,
      documents: 50,
      knowledge_bases: 2,
      members: 3,
      embeds: 1,
    },
    allowed_models: null,
    rate_limit_per_minute: 60,
    overage: "wallet",
    markup: { default: 1, models: {} },
  },
  {
    id: "pro",
    name: "Pro",
    monthly_price_micros: 49_000_000,
    currency: "usd",
    included_credit_micros: 20_000_000,
    quotas: {
      requests_per_month: 20_000,
      tokens_per_month: 50_000_000,
      storage_bytes: 10_240 * MB,
      documents: 10_000,
      knowledge_bases: 50,
      members: 25,
      embeds: 20,
    },
    allowed_models: null,
    rate_limit_per_minute: 600,
    overage: "wallet",
    markup: { default: 1, models: {} },
  },
  {
    id: "enterprise",
    name: "Enterprise",
    monthly_price_micros: 499_000_000,
    currency: "usd",
    included_credit_micros: 250_000_000,
    quotas: {
      requests_per_month: null,
      tokens_per_month: null,
      storage_bytes: null,
      documents: null,
      knowledge_bases: null,
      members: null,
      embeds: null,
    },
    allowed_models: null,
    rate_limit_per_minute: null,
    overage: "wallet",
    markup: { default: 1, models: {} },
  },
];

export interface PlanCatalog {
  plans: Plan[];
  defaultPlanId: string;
  get(id: string): Plan | undefined;
}

/** Parses BILLING_PLANS_JSON (absent: the defaults); throws an Error naming the bad field. */
export function parsePlanCatalog(json: string | undefined, defaultPlanId: string): PlanCatalog {
  let plans: Plan[] = DEFAULT_PLANS;
  if (json) {
    let raw: unknown;
    try {
      raw = JSON.parse(json);
    } catch {
      throw new Error("BILLING_PLANS_JSON is not valid JSON");
    }
    const parsed = z.array(planSchema).min(1).safeParse(raw);
    if (!parsed.success) {
      const i = parsed.error.issues[0]!;
      throw new Error(`BILLING_PLANS_JSON.${i.path.join(".")}: ${i.message}`);
    }
    plans = parsed.data;
  }
  const ids = new Set<string>();
  for (const p of plans) {
    if (ids.has(p.id)) throw new Error(`BILLING_PLANS_JSON: plan id "${p.id}" appears twice`);
    ids.add(p.id);
  }
  if (!ids.has(defaultPlanId))
    throw new Error(`BILLING_DEFAULT_PLAN: "${defaultPlanId}" is not a plan (have: ${[...ids].join(", ")})`);
  const byId = new Map(plans.map((p) => [p.id, p]));
  return { plans, defaultPlanId, get: (id) => byId.get(id) };
}

/** The plan's markup for a model, in parts per million. */
export function markupPpm(plan: Plan, model: string): number {
  return Math.round((plan.markup.models[model] ?? plan.markup.default) * 1_000_000);
}

/** Customer charge for a provider cost: integer arithmetic, rounded half up to the micro-dollar. */
export function chargeOf(costMicros: number, ppm: number): number {
  return Number((BigInt(costMicros) * BigInt(ppm) + 500_000n) / 1_000_000n);
}
