import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../context.js";
import { disableTotp, enableTotp, setupTotp } from "../../services/accounts/totp.js";
import { errorResponses, jsonBody, jsonResponse } from "../common.js";
import { Accepted, accountCtx } from "./schema.js";

const cookieAuth: Record<string, string[]>[] = [{ sessionCookie: [] }];

export const setupRoute = createRoute({
  method: "post",
  path: "/auth/2fa/totp/setup",
  tags: ["Two-factor"],
  summary: "Start TOTP enrolment: a secret and otpauth:// URI for an authenticator app",
  security: cookieAuth,
  responses: {
    200: jsonResponse(
      z
        .object({
          secret: z.string().openapi({ example: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP" }),
          otpauth_uri: z.string().openapi({ example: "otpauth://totp/AI%20Hub:ada%40example.com?..." }),
        })
        .openapi("TotpSetup"),
      "Scan the URI, then confirm a code with /enable.",
    ),
    ...errorResponses(403, 409),
  },
});

export const enableRoute = createRoute({
  method: "post",
  path: "/auth/2fa/totp/enable",
  tags: ["Two-factor"],
  summary: "Confirm a code to turn TOTP on; returns 10 one-time recovery codes (shown once)",
  security: cookieAuth,
  request: {
    body: jsonBody(
      z.strictObject({
        code: z
          .string()
          .trim()
          .regex(/^\d{6}$/, "six digits")
          .openapi({ example: "123456" }),
      }),
    ),
  },
  responses: {
    200: jsonResponse(
      z.object({ recovery_codes: z.array(z.string()) }).openapi("RecoveryCodes"),
      "Two-factor is on.",
    ),
    ...errorResponses(403, 409),
  },
});

export const disableRoute = createRoute({
  method: "post",
  path: "/auth/2fa/totp/disable",
  tags: ["Two-factor"],
  summary: "Turn TOTP off (needs your password); recovery codes are deleted",
  security: cookieAuth,
  request: { body: jsonBody(z.strictObject({ password: z.string().min(1).max(1024) })) },
  responses: { 200: jsonResponse(Accepted, "Two-factor is off."), ...errorResponses(403) },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(setupRoute, async (c) => {
    const { secret, uri } = await setupTotp({ ctx: accountCtx(c) });
    return c.json({ secret, otpauth_uri: uri }, 200);
  });
  app.openapi(enableRoute, async (c) => {
    const { recoveryCodes } = await enableTotp({ ctx: accountCtx(c), input: c.req.valid("json") });
    return c.json({ recovery_codes: recoveryCodes }, 200);
  });
  app.openapi(disableRoute, async (c) => {
    await disableTotp({ ctx: accountCtx(c), input: c.req.valid("json") });
    return c.json({ ok: true as const, message: "Two-factor sign-in is off." }, 200);
  });
}
