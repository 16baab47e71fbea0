import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { clearSessionCookie } from "../../auth/session-cookie.js";
import type { AppEnv } from "../../context.js";
import { sessions } from "../../db/schema.js";
import { revokeSessions, userById } from "../../services/accounts/sessions.js";
import { switchOrganization } from "../../services/orgs/orgs.js";
import { errorResponses, jsonBody, jsonResponse } from "../common.js";
import { Accepted, accountCtx, SessionSchema, sessionBody } from "./schema.js";

const cookieAuth: Record<string, string[]>[] = [{ sessionCookie: [] }];

export const getRoute = createRoute({
  method: "get",
  path: "/auth/session",
  tags: ["Sessions"],
  summary: "The signed-in person, their organizations, the current one, and the CSRF token",
  security: cookieAuth,
  responses: { 200: jsonResponse(SessionSchema, "The current session."), ...errorResponses(403) },
});

export const signOutRoute = createRoute({
  method: "post",
  path: "/auth/sign-out",
  tags: ["Sessions"],
  summary: "End this session now (the cookie is cleared and the server-side row revoked)",
  security: cookieAuth,
  responses: { 200: jsonResponse(Accepted, "Signed out."), ...errorResponses(403) },
});

export const switchRoute = createRoute({
  method: "post",
  path: "/auth/session/organization",
  tags: ["Sessions"],
  summary:
    "Act in another of your organizations (every route then uses that organization and your role there)",
  security: cookieAuth,
  request: {
    body: jsonBody(
      z.strictObject({ organization_id: z.string().min(1).max(64) }).openapi("SwitchOrganization"),
    ),
  },
  responses: {
    200: jsonResponse(SessionSchema, "The session, now in that organization."),
    ...errorResponses(403, 404),
  },
});

async function currentSession(c: Parameters<typeof accountCtx>[0]) {
  const ctx = accountCtx(c);
  const { db } = ctx.deps.database;
  const [s] = await db.select().from(sessions).where(eq(sessions.id, ctx.auth.sessionId!)).limit(1);
  const user = await userById(db, ctx.auth.userId);
  return { ctx, s: s!, user: user! };
}

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(getRoute, async (c) => {
    const { s, user } = await currentSession(c);
    return c.json(await sessionBody(c, user, s), 200);
  });
  app.openapi(signOutRoute, async (c) => {
    const ctx = accountCtx(c);
    await revokeSessions(ctx.deps, {
      userId: ctx.auth.userId,
      sessionId: ctx.auth.sessionId!,
      actorKeyId: ctx.auth.keyId,
      actorUserId: ctx.auth.userId,
      tenantId: ctx.auth.tenantId,
      reason: "sign_out",
      requestId: ctx.requestId,
    });
    clearSessionCookie(c, ctx.deps.config);
    return c.json({ ok: true as const, message: "Signed out." }, 200);
  });
  app.openapi(switchRoute, async (c) => {
    const ctx = accountCtx(c);
    await switchOrganization(ctx.deps, {
      sessionId: ctx.auth.sessionId!,
      userId: ctx.auth.userId,
      tenantId: c.req.valid("json").organization_id,
    });
    const { s, user } = await currentSession(c);
    return c.json(await sessionBody(c, user, s), 200);
  });
}
