import { eq } from "drizzle-orm";
import { QUOTA_NAMES } from "../../billing/plans.js";
import type { ServiceCtx } from "../../context.js";
import { keysetPage, type PageInput } from "../../db/paging.js";
import { walletEntries } from "../../db/schema.js";
import { billingOf, billingOn } from "./account.js";
import { usageOf } from "./usage.js";
import { includedLeftMicros } from "./wallet.js";

/** The organization's plan, subscription state and wallet. */
export async function billingOverview(ctx: ServiceCtx) {
  const { db } = ctx.deps.database;
  const { row, plan } = await billingOf(db, ctx.deps.config, ctx.auth.tenantId);
  return {
    plan,
    includedLeftMicros: await includedLeftMicros(
      db,
      ctx.auth.tenantId,
      plan.included_credit_micros,
      new Date(),
    ),
    status: row?.status ?? "active",
    pastDueSince: row?.pastDueSince ?? null,
    walletMicros: row?.walletMicros ?? 0,
    floorMicros: ctx.deps.config.WALLET_FLOOR_MICROS,
    enforced: billingOn(ctx.deps.config),
    stripeSubscriptionId: row?.stripeSubscriptionId ?? null,
  };
}

/** Use against every quota of the plan (null limit = unlimited). */
export async function quotaReport(ctx: ServiceCtx) {
  const { db } = ctx.deps.database;
  const { plan } = await billingOf(db, ctx.deps.config, ctx.auth.tenantId);
  const now = new Date();
  const quotas = await Promise.all(
    QUOTA_NAMES.map(async (quota) => ({
      quota,
      use: await usageOf(db, ctx.auth.tenantId, quota, now),
      limit: plan.quotas[quota],
    })),
  );
  return { plan, month: now.toISOString().slice(0, 7), quotas };
}

/** The wallet's entries, newest first. */
export async function walletHistory(ctx: ServiceCtx, input: PageInput) {
  const query = ctx.deps.database.db.select().from(walletEntries).$dynamic();
  return keysetPage(query, input, {
    by: walletEntries.id,
    order: "desc",
    where: [eq(walletEntries.tenantId, ctx.auth.tenantId)],
  });
}
