import { and, eq } from "drizzle-orm";
import type { AppDeps } from "../../context.js";
import type { Db } from "../../db/client.js";
import { paymentEvents, payments } from "../../db/schema.js";
import { recordAudit } from "../audit/record.js";
import { creditWallet } from "./wallet.js";

/**
 * Marks a provider event as applied; false when it already was (a redelivery). Call inside the
 * transaction that applies it, so a crash in between leaves the event to be applied again.
 */
export async function firstDelivery(
  tx: Db,
  input: { id: string; provider: string; type: string; tenantId: string | null },
) {
  const inserted = await tx
    .insert(paymentEvents)
    .values(input)
    .onConflictDoNothing()
    .returning({ id: paymentEvents.id });
  return inserted.length > 0;
}

/**
 * A paid top-up, from any provider: the wallet is credited once per payment (the wallet entry's ref is
 * the payment id), whatever the number of notifications. Returns false when it was already credited.
 */
export async function completeTopUp(
  deps: AppDeps,
  tx: Db,
  input: { paymentId: string; provider: string; eventId: string },
): Promise<boolean> {
  const [pay] = await tx.select().from(payments).where(eq(payments.id, input.paymentId)).limit(1);
  if (pay?.purpose !== "top_up") return false;
  const credited = await creditWallet(tx, {
    tenantId: pay.tenantId,
    defaultPlanId: deps.config.plans.defaultPlanId,
    kind: "top_up",
    amountMicros: pay.amountMicros,
    ref: `pay:${pay.id}`,
    detail: { provider: input.provider, event_id: input.eventId },
  });
  if (!credited) return false;
  await tx
    .update(payments)
    .set({ status: "paid", paidAt: new Date() })
    .where(and(eq(payments.id, pay.id), eq(payments.status, "pending")));
  await recordAudit(tx, {
    tenantId: pay.tenantId,
    actorKeyId: null,
    action: "billing.top_up",
    resourceType: "payment",
    resourceId: pay.id,
    detail: { provider: input.provider, amountMicros: pay.amountMicros, eventId: input.eventId },
  });
  return true;
}
