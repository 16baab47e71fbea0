import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../context.js";
import { ApiError } from "../../errors.js";
import { applyWechatPayNotification } from "../../services/billing/wechatpay-notify.js";
import { errorResponses } from "../common.js";

export const route = createRoute({
  method: "post",
  path: "/webhooks/wechatpay",
  tags: ["Billing"],
  summary:
    "WeChat Pay's payment notification (API v3): platform-signed, AES-256-GCM resource, credited once; answers 204",
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z.object({
            id: z.string(),
            event_type: z.string(),
            resource: z.record(z.string(), z.unknown()),
          }),
        },
      },
    },
  },
  responses: {
    204: { description: "Received (WeChat Pay stops redelivering)." },
    ...errorResponses(503),
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  // The raw body is what WeChat Pay signed, so it is read as text rather than through the validator.
  app.post("/webhooks/wechatpay", async (c) => {
    const deps = c.get("deps");
    const wechatpay = deps.payments?.wechatpay;
    if (!wechatpay) throw new ApiError("unavailable", "WeChat Pay is not configured on this server.");
    const transaction = wechatpay.openNotification(
      {
        timestamp: c.req.header("wechatpay-timestamp") ?? "",
        nonce: c.req.header("wechatpay-nonce") ?? "",
        signature: c.req.header("wechatpay-signature") ?? "",
        serial: c.req.header("wechatpay-serial") ?? "",
      },
      await c.req.text(),
    );
    if (!transaction) {
      throw new ApiError(
        "bad_request",
        "The notification's signature is not WeChat Pay's, or it cannot be opened.",
        {
          errors: [{ field: "wechatpay-signature", message: "signature verification or decryption failed" }],
        },
      );
    }
    await applyWechatPayNotification(deps, { transaction, mchid: wechatpay.mchid });
    return c.body(null, 204);
  });
  app.openAPIRegistry.registerPath(route);
}
