import { afterAll, describe } from "vitest";
import { createStripeBilling } from "../../src/billing/payments/stripe.js";
import { parsePlanCatalog } from "../../src/billing/plans.js";
import { orgBilling } from "../../src/db/schema.js";
import { tinyPlans } from "../helpers/billing.js";
import { type Case, describeMatrix, type World } from "../helpers/role-matrix.js";
import { describeRouteSecurity } from "../helpers/route-security.js";
import { type StripeFake, startStripeFake } from "../helpers/stripe-fake.js";

/** The role matrix for /v1/billing (issue 16): the `billing` and `owner` roles manage money. */
const cases = (w: World): Case[] => [
  { method: "GET", path: () => "/v1/billing/plan", need: "billing.manage", scoped: false },
  { method: "GET", path: () => "/v1/billing/plans", need: "billing.manage", scoped: false },
  { method: "GET", path: () => "/v1/billing/quota", need: "billing.manage", scoped: false },
  { method: "GET", path: () => "/v1/billing/wallet", need: "billing.manage", scoped: false },
  {
    method: "POST",
    path: () => "/v1/billing/redeem",
    need: "billing.manage",
    // A fresh code per allowed role: codes are single use. Roles without the right send a dud.
    fresh: async () => {
      const r = await w.t.call("POST", "/v1/platform/redemption-codes", {
        body: { count: 1, amount_usd: "2.00" },
      });
      return { key: r.body.codes[0] as string };
    },
    body: (i) => ({ code: i.key.startsWith("AIH-") ? i.key : "AIH-NOPE-NOPE-NOPE-NOPE" }),
    scoped: false,
  },
  {
    method: "POST",
    path: () => "/v1/billing/checkout",
    need: "billing.manage",
    body: () => ({ plan_id: "pro" }),
    scoped: false,
  },
  {
    method: "POST",
    path: () => "/v1/billing/top-ups",
    need: "billing.manage",
    body: () => ({ provider: "stripe", amount_usd: "5.00" }),
    scoped: false,
  },
  { method: "POST", path: () => "/v1/billing/portal", need: "billing.manage", scoped: false },
  { method: "GET", path: () => "/v1/billing/statements", need: "billing.manage", scoped: false },
  {
    method: "GET",
    // The placeholder ids name the documented route; real ids ask for this month's (open) statement.
    path: (i) =>
      `/v1/billing/statements/${i.org === "{org}" ? "{month}" : new Date().toISOString().slice(0, 7)}`,
    need: "billing.manage",
    scoped: false,
  },
];

let fake: StripeFake | undefined;
afterAll(async () => fake?.close());

describe("role-by-route matrix: billing", () => {
  const w = describeMatrix("billing", cases, {
    // Stripe through the local fake, a catalog whose pro plan has a Stripe price, and a Stripe customer.
    seed: async (w, side) => {
      if (!fake) {
        fake = await startStripeFake();
        w.t.deps.payments = {
          stripe: createStripeBilling({ secretKey: "sk_test_m", webhookSecret: "whsec_m", apiUrl: fake.url }),
        };
        w.t.deps.config = { ...w.t.deps.config, plans: parsePlanCatalog(tinyPlans(), "free") };
      }
      await w.t.deps.database.db
        .insert(orgBilling)
        .values({ tenantId: side.ids.org, planId: "free", stripeCustomerId: `cus_${side.ids.org}` });
      return {};
    },
  });
  describeRouteSecurity("billing", w, cases(w));
});
