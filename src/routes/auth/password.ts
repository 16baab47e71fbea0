import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../context.js";
import { changePassword, forgotPassword, resetPassword } from "../../services/accounts/password.js";
import { errorResponses, jsonBody, jsonResponse } from "../common.js";
import { Accepted, accountCtx, Email, Password, publicCtx, Token } from "./schema.js";

export const forgotRoute = createRoute({
  method: "post",
  path: "/auth/password/forgot",
  tags: ["Accounts"],
  summary: "E-mail a password reset link (same answer whether or not the account exists)",
  security: [],
  request: { body: jsonBody(z.strictObject({ email: Email }).openapi("ForgotPassword")) },
  responses: {
    202: jsonResponse(Accepted, "If the account exists, a link is on its way."),
    ...errorResponses(),
  },
});

export const resetRoute = createRoute({
  method: "post",
  path: "/auth/password/reset",
  tags: ["Accounts"],
  summary: "Set a new password with the e-mailed token; all sessions of the account end",
  security: [],
  request: { body: jsonBody(z.strictObject({ token: Token, password: Password }).openapi("ResetPassword")) },
  responses: { 200: jsonResponse(Accepted, "Password changed; sign in again."), ...errorResponses(410) },
});

export const changeRoute = createRoute({
  method: "post",
  path: "/auth/password",
  tags: ["Accounts"],
  summary: "Change your password (your other sessions end)",
  security: [{ sessionCookie: [] }],
  request: {
    body: jsonBody(
      z
        .strictObject({ current_password: z.string().min(1).max(1024), new_password: Password })
        .openapi("ChangePassword"),
    ),
  },
  responses: { 200: jsonResponse(Accepted, "Password changed."), ...errorResponses(403) },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(forgotRoute, async (c) => {
    await forgotPassword({ ctx: publicCtx(c), input: c.req.valid("json") });
    return c.json(
      { ok: true as const, message: "If an account has this email, a reset link was sent to it." },
      202,
    );
  });
  app.openapi(resetRoute, async (c) => {
    await resetPassword({ ctx: publicCtx(c), input: c.req.valid("json") });
    return c.json({ ok: true as const, message: "Password changed. Sign in with the new password." }, 200);
  });
  app.openapi(changeRoute, async (c) => {
    const b = c.req.valid("json");
    await changePassword({
      ctx: accountCtx(c),
      input: { currentPassword: b.current_password, newPassword: b.new_password },
    });
    return c.json(
      { ok: true as const, message: "Password changed; your other sessions were signed out." },
      200,
    );
  });
}
