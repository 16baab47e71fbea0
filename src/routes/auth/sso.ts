import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { writeSessionCookie } from "../../auth/session-cookie.js";
import type { AppEnv } from "../../context.js";
import { finishSso, startSso } from "../../services/orgs/sso.js";
import { errorResponses } from "../common.js";
import { publicCtx } from "./schema.js";

export const startRoute = createRoute({
  method: "get",
  path: "/auth/sso/{orgId}/start",
  tags: ["Single sign-on"],
  summary: "Begin signing in to an organization through its OpenID Connect provider (redirects there)",
  security: [],
  request: {
    params: z.object({ orgId: z.string().min(1).max(64) }),
    query: z.object({ login_hint: z.string().max(254).optional() }),
  },
  responses: { 302: { description: "To the identity provider." }, ...errorResponses(404, 502) },
});

export const callbackRoute = createRoute({
  method: "get",
  path: "/auth/sso/callback",
  tags: ["Single sign-on"],
  summary: "Where the identity provider returns: sets the session cookie and redirects to the console",
  security: [],
  request: {
    query: z.object({
      state: z.string().min(1).max(200),
      code: z.string().max(4000).optional(),
      error: z.string().max(200).optional(),
      iss: z.string().max(500).optional(),
      session_state: z.string().max(500).optional(),
    }),
  },
  responses: { 302: { description: "Signed in; to the console." }, ...errorResponses(403, 410, 502) },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(startRoute, async (c) => {
    const q = c.req.valid("query");
    const url = await startSso({
      ctx: publicCtx(c),
      input: { tenantId: c.req.valid("param").orgId, ...(q.login_hint ? { loginHint: q.login_hint } : {}) },
    });
    return c.redirect(url.href, 302);
  });
  app.openapi(callbackRoute, async (c) => {
    const deps = c.get("deps");
    const { started } = await finishSso({ ctx: publicCtx(c), input: { currentUrl: new URL(c.req.url) } });
    writeSessionCookie(c, deps.config, started.token, started.session.expiresAt);
    const consoleBase = (deps.config.CONSOLE_URL ?? deps.config.PUBLIC_URL ?? "/").replace(/\/$/, "");
    return c.redirect(`${consoleBase}/`, 302);
  });
}
