import Stripe from "stripe";
import type { StripeBilling, TopUpOrder } from "./types.js";

/** Cents for Stripe: top-ups are whole cents (checked at the route), so this never rounds money away. */
const cents = (micros: number) => Math.round(micros / 10_000);

/**
 * The Stripe adapter: Checkout for subscriptions and top-ups, the customer portal, and webhook
 * verification with the package's own signature check. `apiUrl` points the real client at another
 * host (tests run a local fake speaking Stripe's HTTP API).
 */
export function createStripeBilling(opts: {
  secretKey: string;
  webhookSecret: string;
  apiUrl?: string;
}): StripeBilling {
  const url = opts.apiUrl ? new URL(opts.apiUrl) : null;
  const stripe = new Stripe(opts.secretKey, {
    maxNetworkRetries: 1,
    telemetry: false,
    ...(url
      ? {
          host: url.hostname,
          port: url.port || (url.protocol === "https:" ? 443 : 80),
          protocol: url.protocol.replace(":", "") as "http" | "https",
        }
      : {}),
  });
  return {
    id: "stripe",
    async startTopUp(order: TopUpOrder) {
      const session = await stripe.checkout.sessions.create(
        {
          mode: "payment",
          client_reference_id: order.tenantId,
          success_url: `${order.returnUrl}?payment=${order.paymentId}`,
          cancel_url: order.returnUrl,
          line_items: [
            {
              quantity: 1,
              price_data: {
                currency: "usd",
                unit_amount: cents(order.amountMicros),
                product_data: { name: order.subject },
              },
            },
          ],
          metadata: { payment_id: order.paymentId, tenant_id: order.tenantId, purpose: "top_up" },
        },
        { idempotencyKey: order.paymentId },
      );
      return { externalId: session.id, ...(session.url ? { url: session.url } : {}) };
    },
    async startSubscription(input) {
      const metadata = {
        payment_id: input.paymentId,
        tenant_id: input.tenantId,
        purpose: "subscription",
        plan_id: input.planId,
      };
      const session = await stripe.checkout.sessions.create(
        {
          mode: "subscription",
          client_reference_id: input.tenantId,
          ...(input.customerId ? { customer: input.customerId } : {}),
          success_url: `${input.returnUrl}?payment=${input.paymentId}`,
          cancel_url: input.returnUrl,
          line_items: [{ price: input.priceId, quantity: 1 }],
          metadata,
          // Copied onto the subscription, so its later events name the organization and the plan.
          subscription_data: { metadata },
        },
        { idempotencyKey: input.paymentId },
      );
      return { externalId: session.id, ...(session.url ? { url: session.url } : {}) };
    },
    async portalUrl(customerId, returnUrl) {
      const s = await stripe.billingPortal.sessions.create({ customer: customerId, return_url: returnUrl });
      return s.url;
    },
    verifyWebhook(rawBody, signature) {
      return stripe.webhooks.constructEvent(rawBody, signature, opts.webhookSecret) as unknown as ReturnType<
        StripeBilling["verifyWebhook"]
      >;
    },
  };
}
