import { eq } from "drizzle-orm";
import type { Plan } from "../../billing/plans.js";
import type { Config } from "../../config.js";
import type { Db } from "../../db/client.js";
import { orgBilling } from "../../db/schema.js";

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
): Promise<{ row: BillingRow | null; plan: Plan }> {
  const [row] = await db.select().from(orgBilling).where(eq(orgBilling.tenantId, tenantId)).limit(1);
  return { row: row ?? null, plan: planOf(config, row?.planId) };
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
