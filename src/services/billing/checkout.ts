import type { PaymentProvider } from "../../billing/payments/types.js";
import type { ServiceCtx } from "../../context.js";
import { payments } from "../../db/schema.js";
import { newId } from "../../ids.js";
import { formatMicros } from "../../models/cost.js";
import { recordAudit } from "../audit/record.js";
import { ConflictError, ServiceError, ValidationError } from "../errors.js";
import { billingOf } from "./account.js";

function returnUrl(ctx: ServiceCtx): string {
  const c = ctx.deps.config;
  return `${c.CONSOLE_URL ?? c.PUBLIC_URL ?? `http://localhost:${c.PORT}`}/billing`;
}

function stripeOf(ctx: ServiceCtx) {
  const stripe = ctx.deps.payments?.stripe;
  if (!stripe)
    throw new ServiceError(
      "unavailable",
      "Card payments are not configured on this server (STRIPE_SECRET_KEY).",
    );
  return stripe;
}

async function newPayment(
  ctx: ServiceCtx,
  input: { provider: string; purpose: "top_up" | "subscription"; amountMicros: number; planId?: string },
) {
  const id = newId("pay");
  await ctx.deps.database.db.insert(payments).values({
    id,
    tenantId: ctx.auth.tenantId,
    provider: input.provider,
    purpose: input.purpose,
    planId: input.planId ?? null,
    amountMicros: input.amountMicros,
  });
  await recordAudit(ctx.deps.database.db, {
    tenantId: ctx.auth.tenantId,
    actorKeyId: ctx.auth.keyId,
    actorUserId: ctx.auth.userId ?? null,
    action: "billing.payment.start",
    resourceType: "payment",
    resourceId: id,
    detail: input,
    requestId: ctx.requestId,
  });
  return id;
}

/** Stripe Checkout for a plan's subscription. The plan changes when Stripe's webhook says it is paid. */
export async function startSubscriptionCheckout(ctx: ServiceCtx, input: { planId: string }) {
  const plan = ctx.deps.config.plans.get(input.planId);
  if (!plan) {
    throw new ValidationError(`Unknown plan "${input.planId}".`, [
      { field: "plan_id", message: "unknown plan (GET /v1/billing/plans)" },
    ]);
  }
  if (!plan.stripe_price_id) {
    throw new ValidationError(`The ${plan.name} plan is not sold by card (no stripe_price_id).`, [
      { field: "plan_id", message: "not purchasable" },
    ]);
  }
  const stripe = stripeOf(ctx);
  const { row } = await billingOf(ctx.deps.database.db, ctx.deps.config, ctx.auth.tenantId);
  const paymentId = await newPayment(ctx, {
    provider: "stripe",
    purpose: "subscription",
    amountMicros: plan.monthly_price_micros,
    planId: plan.id,
  });
  const started = await stripe.startSubscription({
    paymentId,
    tenantId: ctx.auth.tenantId,
    planId: plan.id,
    priceId: plan.stripe_price_id,
    customerId: row?.stripeCustomerId ?? null,
    returnUrl: returnUrl(ctx),
  });
  return { paymentId, ...started };
}

/** A wallet top-up through any provider; the wallet is credited by the provider's verified notification. */
export async function startTopUp(
  ctx: ServiceCtx,
  input: { provider: "stripe" | "alipay" | "wechatpay"; amountMicros: number; method?: "page" | "qr" },
) {
  const provider: PaymentProvider | undefined =
    input.provider === "stripe" ? stripeOf(ctx) : ctx.deps.payments?.[input.provider];
  if (!provider) {
    const setting = input.provider === "alipay" ? "ALIPAY_APP_ID" : "WECHATPAY_MCHID";
    throw new ServiceError("unavailable", `${input.provider} is not configured on this server (${setting}).`);
  }
  const paymentId = await newPayment(ctx, {
    provider: provider.id,
    purpose: "top_up",
    amountMicros: input.amountMicros,
  });
  const started = await provider.startTopUp(
    {
      paymentId,
      tenantId: ctx.auth.tenantId,
      amountMicros: input.amountMicros,
      subject: `AI Hub wallet top-up $${formatMicros(input.amountMicros)}`,
      returnUrl: returnUrl(ctx),
    },
    input.method,
  );
  return { paymentId, ...started };
}

/** A link to Stripe's customer portal (cards, invoices, cancelling). */
export async function portalLink(ctx: ServiceCtx) {
  const stripe = stripeOf(ctx);
  const { row } = await billingOf(ctx.deps.database.db, ctx.deps.config, ctx.auth.tenantId);
  if (!row?.stripeCustomerId)
    throw new ConflictError("This organization has no Stripe customer yet: subscribe first.");
  return stripe.portalUrl(row.stripeCustomerId, returnUrl(ctx));
}
