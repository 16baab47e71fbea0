import type { Plan, QuotaName } from "../../billing/plans.js";
import type { ServiceCtx } from "../../context.js";
import { ForbiddenError, LimitExceededError } from "../errors.js";
import { billingOf, billingOn } from "./account.js";
import { countRequest, usageOf } from "./usage.js";
import { includedLeftMicros } from "./wallet.js";

/**
 * The one place quotas are enforced (issue 16). Creations and uploads call `enforceQuota`; every door
 * that runs searches or model calls calls `meterRequest`. With BILLING=off both do nothing.
 */

export function quotaExceeded(
  plan: Plan,
  quota: QuotaName,
  use: number,
  limit: number,
  extra = "",
): LimitExceededError {
  return new LimitExceededError(
    "quota_exceeded",
    `The ${plan.name} plan allows ${limit} ${quota.replaceAll("_", " ")}; this organization uses ${use}.${extra} ` +
      "Upgrade the plan (POST /v1/billing/checkout) or top up the wallet (POST /v1/billing/redeem).",
    { data: { quota, use, limit, plan: plan.id } },
  );
}

/** Throws 402 `quota_exceeded` when adding `adding` units of `quota` would pass the plan's limit. */
export async function enforceQuota(ctx: ServiceCtx, quota: QuotaName, adding = 1): Promise<void> {
  if (!billingOn(ctx.deps.config)) return;
  const { db } = ctx.deps.database;
  const { plan } = await billingOf(db, ctx.deps.config, ctx.auth.tenantId);
  const limit = plan.quotas[quota];
  if (limit === null) return;
  const use = await usageOf(db, ctx.auth.tenantId, quota);
  if (use + adding > limit) throw quotaExceeded(plan, quota, use, limit);
}

export interface Metered {
  plan: Plan;
  /** Past the request or token quota: the call is billed to the wallet (reserved under the tenant lock). */
  overage: boolean;
}

/**
 * Counts one request (search, ask, chat) and decides how it is paid for: within the plan, or past a
 * monthly quota. Past it, `block` plans answer 402 and `wallet` plans go on only while the wallet holds
 * more than its floor; the exact check-and-hold happens when the call's maximum cost is reserved.
 * Returns null when billing is off.
 */
export async function meterRequest(ctx: ServiceCtx): Promise<Metered | null> {
  const { config } = ctx.deps;
  if (!billingOn(config)) return null;
  const { db } = ctx.deps.database;
  const tenantId = ctx.auth.tenantId;
  const { row, plan } = await billingOf(db, config, tenantId);
  let over: { quota: QuotaName; use: number; limit: number } | null = null;
  for (const quota of ["requests_per_month", "tokens_per_month"] as const) {
    const limit = plan.quotas[quota];
    if (limit === null) continue;
    const use = await usageOf(db, tenantId, quota);
    if (use >= limit) {
      over = { quota, use, limit };
      break;
    }
  }
  if (over) {
    if (plan.overage === "block") throw quotaExceeded(plan, over.quota, over.use, over.limit);
    // The month's included credit pays overage before the wallet (services/billing/wallet.ts).
    const included = await includedLeftMicros(db, tenantId, plan.included_credit_micros, new Date());
    const wallet = row?.walletMicros ?? 0;
    if (included <= 0 && wallet <= config.WALLET_FLOOR_MICROS) {
      throw quotaExceeded(
        plan,
        over.quota,
        over.use,
        over.limit,
        " The wallet is empty, so overage cannot be billed.",
      );
    }
  }
  await countRequest(db, tenantId);
  return { plan, overage: over !== null };
}

/** 403 when the plan does not include a model (the plan's allowed_models). */
export function checkModelAllowed(plan: Plan, model: string): void {
  if (plan.allowed_models && !plan.allowed_models.includes(model)) {
    throw new ForbiddenError(`The ${plan.name} plan does not include the model "${model}".`, {
      fields: [{ field: "models", message: `not in plan ${plan.id}` }],
    });
  }
}
