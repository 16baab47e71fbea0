import { and, eq } from "drizzle-orm";
import type { Plan } from "../../billing/plans.js";
import type { Config } from "../../config.js";
import type { Db } from "../../db/client.js";
import { orgBilling } from "../../db/schema.js";
import { recordAudit } from "../audit/record.js";

export type BillingRow = typeof orgBilling.$inferSelect;

/** Whether plans, quotas and the wallet apply on this server (BILLING=on). */
export const billingOn = (config: Config) => config.BILLING === "on";

/**
 * The organization's billing row and plan. An organization without a row is on the default plan with
 * an empty wallet; a row naming a plan since removed from the catalog falls back to the default too,
 * so editing the catalog can never leave an organization without limits.
 */
export async function billingOf(
  db: Db,
  config: Config,
  tenantId: string,
  now = new Date(),
): Promise<{ row: BillingRow | null; plan: Plan }> {
  let [row] = await db.select().from(orgBilling).where(eq(orgBilling.tenantId, tenantId)).limit(1);
  if (row && graceOver(config, row, now)) row = await downgrade(db, config, row);
  return { row: row ?? null, plan: planOf(config, row?.planId) };
}

/** Past due for longer than BILLING_GRACE_DAYS: the paid plan ends. */
function graceOver(config: Config, row: BillingRow, now: Date): boolean {
  return (
    row.status === "past_due" &&
    row.pastDueSince !== null &&
    now.getTime() - row.pastDueSince.getTime() > config.BILLING_GRACE_DAYS * 86_400_000
  );
}

/**
 * Applied when the organization is next looked at (every quota check does), so no scheduler is needed
 * for the downgrade to take effect; the conditional update makes concurrent lookups apply it once.
 */
async function downgrade(db: Db, config: Config, row: BillingRow): Promise<BillingRow> {
  const to = config.plans.defaultPlanId;
  const [after] = await db
    .update(orgBilling)
    .set({ planId: to, status: "active", pastDueSince: null, updatedAt: new Date() })
    .where(and(eq(orgBilling.tenantId, row.tenantId), eq(orgBilling.status, "past_due")))
    .returning();
  if (after) {
    await recordAudit(db, {
      tenantId: row.tenantId,
      actorKeyId: null,
      action: "billing.plan.downgrade",
      resourceType: "tenant",
      resourceId: row.tenantId,
      detail: {
        from: row.planId,
        to,
        reason: "grace period over",
        pastDueSince: row.pastDueSince?.toISOString(),
      },
    });
  }
  return after ?? { ...row, planId: to, status: "active", pastDueSince: null };
}

export function planOf(config: Config, planId: string | null | undefined): Plan {
  const { plans } = config;
  return (planId ? plans.get(planId) : undefined) ?? plans.get(plans.defaultPlanId)!;
}

/** Creates the row when missing (default plan, empty wallet) and returns it, inside the caller's transaction. */
export async function ensureBillingRow(db: Db, config: Config, tenantId: string): Promise<BillingRow> {
  await db.insert(orgBilling).values({ tenantId, planId: config.plans.defaultPlanId }).onConflictDoNothing();
  const [row] = await db.select().from(orgBilling).where(eq(orgBilling.tenantId, tenantId)).limit(1);
  return row!;
}
