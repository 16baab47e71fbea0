import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../context.js";
import {
  confirmEmailChange,
  requestEmailChange,
  resendVerification,
  verifyEmail,
} from "../../services/accounts/email.js";
import { errorResponses, jsonBody, jsonResponse } from "../common.js";
import { Accepted, accountCtx, Email, publicCtx, Token, toUser, UserSchema } from "./schema.js";

export const verifyRoute = createRoute({
  method: "post",
  path: "/auth/email/verify",
  tags: ["Accounts"],
  summary: "Confirm an email address with the e-mailed token (one use, expires after 48 h)",
  security: [],
  request: { body: jsonBody(z.strictObject({ token: Token }).openapi("VerifyEmail")) },
  responses: { 200: jsonResponse(UserSchema, "The account, now verified."), ...errorResponses(410) },
});

export const resendRoute = createRoute({
  method: "post",
  path: "/auth/email/verify/resend",
  tags: ["Accounts"],
  summary: "Send a new verification link (same answer whether or not the account exists)",
  security: [],
  request: { body: jsonBody(z.strictObject({ email: Email }).openapi("ResendVerification")) },
  responses: {
    202: jsonResponse(Accepted, "Sent if the account exists and is unverified."),
    ...errorResponses(),
  },
});

export const changeRoute = createRoute({
  method: "post",
  path: "/auth/email/change",
  tags: ["Accounts"],
  summary: "Change your email: a confirmation link goes to the new address",
  security: [{ sessionCookie: [] }],
  request: {
    body: jsonBody(
      z.strictObject({ new_email: Email, password: z.string().min(1).max(1024) }).openapi("ChangeEmail"),
    ),
  },
  responses: {
    202: jsonResponse(Accepted, "Confirmation sent to the new address."),
    ...errorResponses(403, 409),
  },
});

export const confirmRoute = createRoute({
  method: "post",
  path: "/auth/email/change/confirm",
  tags: ["Accounts"],
  summary: "Confirm the new email with the token sent to it; the old address is notified",
  security: [],
  request: { body: jsonBody(z.strictObject({ token: Token }).openapi("ConfirmEmailChange")) },
  responses: {
    200: jsonResponse(UserSchema, "The account with its new email."),
    ...errorResponses(409, 410),
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(verifyRoute, async (c) => {
    const user = await verifyEmail({ ctx: publicCtx(c), input: c.req.valid("json") });
    return c.json(toUser(user), 200);
  });
  app.openapi(resendRoute, async (c) => {
    await resendVerification({ ctx: publicCtx(c), input: c.req.valid("json") });
    return c.json(
      { ok: true as const, message: "If that account exists and is unverified, a new link was sent." },
      202,
    );
  });
  app.openapi(changeRoute, async (c) => {
    const b = c.req.valid("json");
    await requestEmailChange({ ctx: accountCtx(c), input: { newEmail: b.new_email, password: b.password } });
    return c.json({ ok: true as const, message: "Open the link sent to the new address to finish." }, 202);
  });
  app.openapi(confirmRoute, async (c) => {
    const user = await confirmEmailChange({ ctx: publicCtx(c), input: c.req.valid("json") });
    return c.json(toUser(user), 200);
  });
}
