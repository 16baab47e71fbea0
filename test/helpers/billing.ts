import { DEFAULT_PLANS, type Plan } from "../../src/billing/plans.js";

/** A catalog with tiny quotas on `free`, so tests reach them in a few calls. */
export function tinyPlans(over: Partial<Plan["quotas"]> = {}): string {
  const plans = DEFAULT_PLANS.map((p) =>
    p.id === "free"
      ? {
          ...p,
          quotas: {
            ...p.quotas,
            requests_per_month: 2,
            knowledge_bases: 1,
            documents: 1,
            embeds: 0,
            members: 1,
            ...over,
          },
          markup: { default: 1.5, models: {} },
        }
      : p.id === "pro"
        ? { ...p, stripe_price_id: "price_pro" }
        : p,
  );
  return JSON.stringify(plans);
}

export const billingEnv = (over: Partial<Plan["quotas"]> = {}): Record<string, string> => ({
  BILLING: "on",
  BILLING_PLANS_JSON: tinyPlans(over),
});
