import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../context.js";
import { signInOptions, ssoForEmail } from "../../services/orgs/sso-discovery.js";
import { errorResponses, jsonBody, jsonResponse } from "../common.js";
import { Email } from "./schema.js";

export const optionsRoute = createRoute({
  method: "get",
  path: "/auth/options",
  tags: ["Accounts"],
  summary: "What the sign-in page may offer: the sign-up policy and whether single sign-on exists here",
  security: [],
  responses: {
    200: jsonResponse(
      z
        .object({
          sign_up: z.enum(["open", "invite", "closed"]).openapi({
            description: "open: anyone may sign up; invite: only by invitation; closed: no new accounts.",
          }),
          sso: z.boolean().openapi({
            description: "Some organization signs in through OpenID Connect (find it by email).",
          }),
        })
        .openapi("SignInOptions"),
      "Sign-in options.",
    ),
  },
});

export const discoverRoute = createRoute({
  method: "post",
  path: "/auth/sso/discover",
  tags: ["Single sign-on"],
  summary: "Where to start single sign-on for an email: the organization whose SSO allows its domain",
  security: [],
  request: { body: jsonBody(z.strictObject({ email: Email }).openapi("SsoDiscover")) },
  responses: {
    200: jsonResponse(
      z
        .object({
          sign_in_url: z
            .string()
            .openapi({ example: "/v1/auth/sso/ten_01jc8w7k3m/start?login_hint=ada%40acme.com" }),
        })
        .openapi("SsoDiscovered"),
      "Send the browser here.",
    ),
    ...errorResponses(404),
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(optionsRoute, async (c) => {
    const o = await signInOptions(c.get("deps"));
    return c.json({ sign_up: o.signUp, sso: o.sso }, 200);
  });
  app.openapi(discoverRoute, async (c) => {
    const { email } = c.req.valid("json");
    const tenantId = await ssoForEmail(c.get("deps"), email);
    const hint = new URLSearchParams({ login_hint: email });
    return c.json({ sign_in_url: `/v1/auth/sso/${tenantId}/start?${hint}` }, 200);
  });
}
