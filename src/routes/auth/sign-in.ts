import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../context.js";
import { signIn, signInSecondFactor } from "../../services/accounts/sign-in.js";
import { errorResponses, jsonBody } from "../common.js";
import { Email, MfaChallenge, publicCtx, SessionSchema, startedResponse } from "./schema.js";

const SignInBody = z
  .strictObject({ email: Email, password: z.string().min(1).max(1024) })
  .openapi("SignIn", { example: { email: "ada@example.com", password: "correct horse battery staple" } });

export const route = createRoute({
  method: "post",
  path: "/auth/sign-in",
  tags: ["Accounts"],
  summary: "Sign in with email and password: sets the session cookie, or asks for the second factor",
  description:
    "Wrong email and wrong password get the same 401. Repeated failures lock the account and the client address with a growing back-off (429 with Retry-After).",
  security: [],
  request: { body: jsonBody(SignInBody) },
  responses: {
    200: {
      description: "Signed in (Set-Cookie: aih_session), or a second-factor challenge.",
      content: { "application/json": { schema: z.union([SessionSchema, MfaChallenge]) } },
    },
    ...errorResponses(403, 429),
  },
});

const SecondFactorBody = z
  .strictObject({
    mfa_token: z.string().min(16).max(200),
    code: z.string().trim().max(10).optional().openapi({ example: "123456" }),
    recovery_code: z.string().trim().max(40).optional().openapi({ example: "k3j9d-x8a2m" }),
  })
  .refine((b) => !!b.code !== !!b.recovery_code, {
    message: "send either code or recovery_code",
    path: ["code"],
  })
  .openapi("SecondFactor");

export const secondFactorRoute = createRoute({
  method: "post",
  path: "/auth/sign-in/second-factor",
  tags: ["Accounts"],
  summary: "Finish signing in with a TOTP code or a one-time recovery code",
  security: [],
  request: { body: jsonBody(SecondFactorBody) },
  responses: {
    200: { description: "Signed in.", content: { "application/json": { schema: SessionSchema } } },
    ...errorResponses(410),
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const result = await signIn({ ctx: publicCtx(c), input: c.req.valid("json") });
    if (result.kind === "second_factor") {
      return c.json({ second_factor_required: true as const, mfa_token: result.mfaToken }, 200);
    }
    return c.json(await startedResponse(c, result.user, result.started), 200);
  });
  app.openapi(secondFactorRoute, async (c) => {
    const b = c.req.valid("json");
    const { started, user } = await signInSecondFactor({
      ctx: publicCtx(c),
      input: {
        mfaToken: b.mfa_token,
        ...(b.code ? { code: b.code } : {}),
        ...(b.recovery_code ? { recoveryCode: b.recovery_code } : {}),
      },
    });
    return c.json(await startedResponse(c, user, started), 200);
  });
}
