import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../context.js";
import { ApiError } from "../../errors.js";
import { applyStripeEvent } from "../../services/billing/stripe-events.js";
import { errorResponses, jsonResponse } from "../common.js";

export const route = createRoute({
  method: "post",
  path: "/webhooks/stripe",
  tags: ["Billing"],
  summary: "Stripe's webhook: verified by its Stripe-Signature, applied once per event id, in Stripe's order",
  request: {
    body: { required: true, content: { "application/json": { schema: z.record(z.string(), z.unknown()) } } },
  },
  responses: {
    200: jsonResponse(z.object({ received: z.boolean(), duplicate: z.boolean() }), "Accepted."),
    ...errorResponses(503),
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.post("/webhooks/stripe", async (c) => {
    const stripe = c.get("deps").payments?.stripe;
    if (!stripe) throw new ApiError("unavailable", "Stripe is not configured on this server.");
    // The signature covers the exact bytes Stripe sent: read them raw, before any JSON parsing.
    const raw = await c.req.text();
    let event: ReturnType<typeof stripe.verifyWebhook>;
    try {
      event = stripe.verifyWebhook(raw, c.req.header("stripe-signature") ?? "");
    } catch {
      throw new ApiError("bad_request", "The Stripe-Signature header does not match this body.", {
        errors: [{ field: "stripe-signature", message: "signature verification failed" }],
      });
    }
    const r = await applyStripeEvent(c.get("deps"), event);
    return c.json({ received: true, duplicate: !r.applied }, 200);
  });
  // Documented in the OpenAPI document; the handler above reads the raw body itself.
  app.openAPIRegistry.registerPath(route);
}
