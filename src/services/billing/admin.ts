import { eq, sql } from "drizzle-orm";
import { keysetPage } from "../../db/paging.js";
import { orgBilling, tenants } from "../../db/schema.js";
import { newId } from "../../ids.js";
import { recordAudit } from "../audit/record.js";
import { NotFoundError, ValidationError } from "../errors.js";
import type { PlatformCtx } from "../platform/platform.js";
import { planOf } from "./account.js";
import { creditWallet } from "./wallet.js";

async function requireOrg(ctx: PlatformCtx, tenantId: string) {
  const [org] = await ctx.deps.database.db.select().from(tenants).where(eq(tenants.id, tenantId)).limit(1);
  if (!org) throw new NotFoundError("Organization", tenantId);
  return org;
}

/** A manual credit by the platform administrator (goodwill, refunds, invoices paid by wire). Audited. */
export async function creditOrganization(
  ctx: PlatformCtx,
  input: { tenantId: string; amountMicros: number; reason: string },
) {
  await requireOrg(ctx, input.tenantId);
  const id = newId("wal");
  await ctx.deps.database.db.transaction(async (tx) => {
    await creditWallet(tx, {
      tenantId: input.tenantId,
      defaultPlanId: ctx.deps.config.plans.defaultPlanId,
      kind: "credit",
      amountMicros: input.amountMicros,
      ref: `credit:${id}`,
      detail: { reason: input.reason },
    });
    await recordAudit(tx, {
      tenantId: input.tenantId,
      actorKeyId: ctx.auth.keyId,
      actorUserId: ctx.auth.userId ?? null,
      action: "billing.credit",
      resourceType: "tenant",
      resourceId: input.tenantId,
      detail: { amountMicros: input.amountMicros, reason: input.reason },
      requestId: ctx.requestId,
    });
  });
  return walletOf(ctx, input.tenantId);
}

async function walletOf(ctx: PlatformCtx, tenantId: string) {
  const [row] = await ctx.deps.database.db.select().from(orgBilling).where(eq(orgBilling.tenantId, tenantId));
  return { tenantId, walletMicros: row?.walletMicros ?? 0, planId: planOf(ctx.deps.config, row?.planId).id };
}

/**
 * Moves an organization to a plan at once. No proration: the new plan's quotas apply to this month's
 * use so far, and money moves only through payments (a Stripe subscription change is prorated by Stripe).
 */
export async function setPlan(
  ctx: { deps: PlatformCtx["deps"]; auth: PlatformCtx["auth"]; requestId: string },
  input: { tenantId: string; planId: string; reason: string },
) {
  if (!ctx.deps.config.plans.get(input.planId)) {
    throw new ValidationError(`Unknown plan "${input.planId}".`, [
      { field: "plan_id", message: `have: ${ctx.deps.config.plans.plans.map((p) => p.id).join(", ")}` },
    ]);
  }
  const { db } = ctx.deps.database;
  return db.transaction(async (tx) => {
    const [before] = await tx.select().from(orgBilling).where(eq(orgBilling.tenantId, input.tenantId));
    await tx
      .insert(orgBilling)
      .values({ tenantId: input.tenantId, planId: input.planId })
      .onConflictDoUpdate({
        target: orgBilling.tenantId,
        set: { planId: input.planId, updatedAt: new Date() },
      });
    await recordAudit(tx, {
      tenantId: input.tenantId,
      actorKeyId: ctx.auth.keyId,
      actorUserId: ctx.auth.userId ?? null,
      action: "billing.plan.change",
      resourceType: "tenant",
      resourceId: input.tenantId,
      detail: { from: planOf(ctx.deps.config, before?.planId).id, to: input.planId, reason: input.reason },
      requestId: ctx.requestId,
    });
    return { tenantId: input.tenantId, planId: input.planId };
  });
}

export async function setPlanByAdmin(
  ctx: PlatformCtx,
  input: { tenantId: string; planId: string; reason: string },
) {
  await requireOrg(ctx, input.tenantId);
  return setPlan(ctx, input);
}

/** Every organization's plan and wallet balance, for the platform administrator. */
export async function listBalances(ctx: PlatformCtx, input: { limit: number; cursor?: string }) {
  const query = ctx.deps.database.db
    .select({
      id: tenants.id,
      name: tenants.name,
      planId: orgBilling.planId,
      status: orgBilling.status,
      walletMicros: sql<string>`coalesce(${orgBilling.walletMicros}, 0)::text`,
    })
    .from(tenants)
    .leftJoin(orgBilling, eq(orgBilling.tenantId, tenants.id));
  const { items, nextCursor } = await keysetPage(query.$dynamic(), input, { by: tenants.id });
  return {
    items: items.map((r) => ({
      ...r,
      planId: planOf(ctx.deps.config, r.planId).id,
      status: r.status ?? "active",
      walletMicros: Number(r.walletMicros),
    })),
    nextCursor,
  };
}
