import type { StripeEventLike } from "../../billing/payments/types.js";
import type { AppDeps } from "../../context.js";
import type { Db } from "../../db/client.js";
import { payments } from "../../db/schema.js";
import { recordAudit } from "../audit/record.js";
import { billingOf } from "./account.js";

/** Stripe amounts are cents; money here is micro-dollars. */
const microsOfCents = (cents: unknown) => Math.max(0, Math.round(Number(cents ?? 0))) * 10_000;

const dateOfUnix = (s: unknown): Date | null =>
  typeof s === "number" && Number.isFinite(s) ? new Date(s * 1000) : null;

/**
 * The plan a subscription invoice sells: its price (the catalog's stripe_price_id, in the line's `price`
 * before Stripe's 2025 API and `pricing.price_details` since), else the subscription's metadata.
 */
export function planOfInvoice(deps: AppDeps, inv: Record<string, any>): string | null {
  const line = inv.lines?.data?.[0];
  const price = line?.price?.id ?? line?.pricing?.price_details?.price ?? null;
  const byPrice = deps.config.plans.plans.find((p) => p.stripe_price_id && p.stripe_price_id === price);
  if (byPrice) return byPrice.id;
  const metaPlan =
    inv.parent?.subscription_details?.metadata?.plan_id ?? inv.subscription_details?.metadata?.plan_id;
  return deps.config.plans.get(metaPlan) ? String(metaPlan) : null;
}

/** The subscription an invoice belongs to, in either API shape. */
export function subscriptionOfInvoice(inv: Record<string, any>): string | null {
  const sub = inv.parent?.subscription_details?.subscription ?? inv.subscription;
  return typeof sub === "string" ? sub : null;
}

/**
 * A paid subscription invoice becomes one statement line for the period it pays (issue 16). Its payment
 * row's id is derived from the invoice id, so the line exists once whatever the number of deliveries or
 * of events about the same invoice. It does not depend on order: money paid is a fact even when a newer
 * event has already moved the subscription on (state changes are ordered separately, by event time).
 *
 * The first invoice (billing_reason `subscription_create`) is the payment Checkout already recorded
 * when `checkout.session.completed` arrived, so it adds no second line for the same month.
 */
export async function recordPaidInvoice(
  deps: AppDeps,
  tx: Db,
  tenantId: string,
  event: StripeEventLike,
): Promise<boolean> {
  const inv = event.data.object;
  if (event.type !== "invoice.paid" || typeof inv.id !== "string") return false;
  if (inv.billing_reason === "subscription_create") return false;
  const line = inv.lines?.data?.[0];
  const planId = planOfInvoice(deps, inv) ?? (await billingOf(tx, deps.config, tenantId)).plan.id;
  const periodStart = dateOfUnix(line?.period?.start ?? inv.period_start);
  const periodEnd = dateOfUnix(line?.period?.end ?? inv.period_end);
  const paidAt = dateOfUnix(inv.status_transitions?.paid_at) ?? new Date(event.created * 1000);
  const amountMicros = microsOfCents(inv.amount_paid);
  const id = `pay_inv_${inv.id}`;
  const inserted = await tx
    .insert(payments)
    .values({
      id,
      tenantId,
      provider: "stripe",
      purpose: "subscription",
      planId,
      amountMicros,
      externalId: inv.id,
      status: "paid",
      periodStart,
      periodEnd,
      paidAt,
    })
    .onConflictDoNothing()
    .returning({ id: payments.id });
  if (!inserted.length) return false;
  await recordAudit(tx, {
    tenantId,
    actorKeyId: null,
    action: "billing.subscription.renewal",
    resourceType: "payment",
    resourceId: id,
    detail: {
      eventId: event.id,
      invoiceId: inv.id,
      planId,
      amountMicros,
      periodStart: periodStart?.toISOString() ?? null,
      periodEnd: periodEnd?.toISOString() ?? null,
    },
  });
  return true;
}
