import { and, eq } from "drizzle-orm";
import type { StripeEventLike } from "../../billing/payments/types.js";
import type { AppDeps } from "../../context.js";
import type { Db } from "../../db/client.js";
import { orgBilling, payments } from "../../db/schema.js";
import { recordAudit } from "../audit/record.js";
import { completeTopUp, firstDelivery } from "./payments.js";
import { planOfInvoice, recordPaidInvoice, subscriptionOfInvoice } from "./stripe-invoices.js";

/**
 * Applies one verified Stripe event, once (by event id) and in order: subscription state only moves
 * forward in Stripe's time (`event.created`), so a late `invoice.payment_failed` cannot undo a newer
 * `invoice.paid`, and a late `checkout.session.completed` cannot resurrect a deleted subscription.
 * Top-ups are additive and credited once per payment, so their order does not matter.
 */
export async function applyStripeEvent(deps: AppDeps, event: StripeEventLike): Promise<{ applied: boolean }> {
  const { db } = deps.database;
  const o = event.data.object;
  return db.transaction(async (tx) => {
    const tenantId = await tenantOf(tx, o);
    if (
      !(await firstDelivery(tx, { id: `stripe:${event.id}`, provider: "stripe", type: event.type, tenantId }))
    )
      return { applied: false };
    if (!tenantId) return { applied: true };
    if (event.type === "checkout.session.completed" && o.metadata?.purpose === "top_up") {
      await completeTopUp(deps, tx, {
        paymentId: o.metadata.payment_id,
        provider: "stripe",
        eventId: event.id,
      });
      return { applied: true };
    }
    if (event.type === "checkout.session.completed" && o.metadata?.payment_id) {
      // The first month's subscription payment, for the statement.
      await tx
        .update(payments)
        .set({ status: "paid", paidAt: new Date(event.created * 1000), externalId: String(o.id ?? "") })
        .where(and(eq(payments.id, String(o.metadata.payment_id)), eq(payments.status, "pending")));
    }
    // A renewal's statement line, whatever the order: it is money paid, not subscription state.
    if (event.type === "invoice.paid") await recordPaidInvoice(deps, tx, tenantId, event);
    const next = subscriptionChange(deps, event);
    if (!next) return { applied: true };
    const [row] = await tx.select().from(orgBilling).where(eq(orgBilling.tenantId, tenantId)).for("update");
    const at = new Date(event.created * 1000);
    // Older than the state we hold: recorded (so it is not retried) but not applied.
    if (row?.subscriptionEventAt && row.subscriptionEventAt > at) return { applied: true };
    const set = { ...next, subscriptionEventAt: at, updatedAt: new Date() };
    if (next.status === "past_due" && row?.status === "past_due")
      delete (set as { pastDueSince?: Date }).pastDueSince;
    await tx
      .insert(orgBilling)
      .values({ tenantId, planId: next.planId ?? deps.config.plans.defaultPlanId, ...set })
      .onConflictDoUpdate({ target: orgBilling.tenantId, set });
    await recordAudit(tx, {
      tenantId,
      actorKeyId: null,
      action: `billing.stripe.${event.type}`,
      resourceType: "tenant",
      resourceId: tenantId,
      detail: { eventId: event.id, ...next },
    });
    return { applied: true };
  });
}

type Change = Partial<{
  planId: string;
  status: "active" | "past_due";
  pastDueSince: Date | null;
  stripeCustomerId: string;
  stripeSubscriptionId: string | null;
}>;

function subscriptionChange(deps: AppDeps, event: StripeEventLike): Change | null {
  const o = event.data.object;
  const at = new Date(event.created * 1000);
  const free = deps.config.plans.defaultPlanId;
  switch (event.type) {
    case "checkout.session.completed":
      if (o.metadata?.purpose !== "subscription" || !deps.config.plans.get(o.metadata.plan_id)) return null;
      return {
        planId: o.metadata.plan_id,
        status: "active",
        pastDueSince: null,
        ...(o.customer ? { stripeCustomerId: String(o.customer) } : {}),
        ...(o.subscription ? { stripeSubscriptionId: String(o.subscription) } : {}),
      };
    case "invoice.paid": {
      // A paid subscription invoice carries the whole state (plan, customer, subscription), so an
      // older event delivered after it (Checkout's own completion, say) is not needed to upgrade.
      const plan = planOfInvoice(deps, o);
      const sub = subscriptionOfInvoice(o);
      return {
        status: "active",
        pastDueSince: null,
        ...(plan && sub ? { planId: plan, stripeSubscriptionId: sub } : {}),
        ...(typeof o.customer === "string" ? { stripeCustomerId: o.customer } : {}),
      };
    }
    case "invoice.payment_failed":
      return { status: "past_due", pastDueSince: at };
    case "customer.subscription.updated": {
      const plan = planOfSubscription(deps, o);
      const status = o.status === "past_due" || o.status === "unpaid" ? "past_due" : "active";
      if (o.status === "canceled" || o.status === "incomplete_expired")
        return { planId: free, status: "active", pastDueSince: null, stripeSubscriptionId: null };
      return {
        ...(plan ? { planId: plan } : {}),
        status,
        ...(status === "active" ? { pastDueSince: null } : { pastDueSince: at }),
      };
    }
    case "customer.subscription.deleted":
      return { planId: free, status: "active", pastDueSince: null, stripeSubscriptionId: null };
    default:
      return null;
  }
}

/** The plan a subscription's price sells (the catalog's stripe_price_id), else its metadata. */
function planOfSubscription(deps: AppDeps, sub: Record<string, any>): string | null {
  const price = sub.items?.data?.[0]?.price?.id;
  const byPrice = deps.config.plans.plans.find((p) => p.stripe_price_id && p.stripe_price_id === price);
  return byPrice?.id ?? (deps.config.plans.get(sub.metadata?.plan_id) ? sub.metadata.plan_id : null);
}

/** The organization an event is about: our metadata first, else the customer we stored. */
async function tenantOf(tx: Db, o: Record<string, any>): Promise<string | null> {
  // Invoices carry the subscription's metadata (where Checkout put the organization): before Stripe's
  // 2025 API under subscription_details, since then under parent.subscription_details. This names the
  // organization even when an invoice arrives before the event that stored the customer.
  const fromMeta =
    o.metadata?.tenant_id ??
    o.client_reference_id ??
    o.subscription_details?.metadata?.tenant_id ??
    o.parent?.subscription_details?.metadata?.tenant_id;
  if (typeof fromMeta === "string") return fromMeta;
  const customer = typeof o.customer === "string" ? o.customer : null;
  if (!customer) return null;
  const [row] = await tx
    .select({ tenantId: orgBilling.tenantId })
    .from(orgBilling)
    .where(eq(orgBilling.stripeCustomerId, customer))
    .limit(1);
  return row?.tenantId ?? null;
}
