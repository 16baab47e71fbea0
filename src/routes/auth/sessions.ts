import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { clearSessionCookie } from "../../auth/session-cookie.js";
import type { AppEnv } from "../../context.js";
import { listSessions, revokeSessions } from "../../services/accounts/sessions.js";
import { errorResponses, isoDate, jsonResponse } from "../common.js";
import { accountCtx } from "./schema.js";

const cookieAuth: Record<string, string[]>[] = [{ sessionCookie: [] }];

const SessionRow = z
  .object({
    id: z.string().openapi({ example: "ses_01jc8w7k3m9x2p4q5r6s7t8v9w" }),
    current: z.boolean(),
    method: z.string().openapi({ example: "password" }),
    ip: z.string().nullable(),
    user_agent: z.string().nullable(),
    created_at: z.string(),
    last_seen_at: z.string(),
    expires_at: z.string(),
  })
  .openapi("SessionListItem");

export const listRoute = createRoute({
  method: "get",
  path: "/auth/sessions",
  tags: ["Sessions"],
  summary: "Your active sessions (browsers signed in)",
  security: cookieAuth,
  responses: {
    200: jsonResponse(z.object({ data: z.array(SessionRow) }), "Active sessions."),
    ...errorResponses(403),
  },
});

export const revokeRoute = createRoute({
  method: "delete",
  path: "/auth/sessions/{id}",
  tags: ["Sessions"],
  summary: "Revoke one of your sessions (effective on its next request)",
  security: cookieAuth,
  request: { params: z.object({ id: z.string().min(1).max(64) }) },
  responses: {
    200: jsonResponse(z.object({ revoked: z.number().int() }), "Revoked."),
    ...errorResponses(403, 404),
  },
});

export const revokeAllRoute = createRoute({
  method: "post",
  path: "/auth/sessions/revoke-all",
  tags: ["Sessions"],
  summary: "Sign out everywhere: every session of yours ends now, this one included",
  security: cookieAuth,
  responses: {
    200: jsonResponse(z.object({ revoked: z.number().int() }), "How many sessions ended."),
    ...errorResponses(403),
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(listRoute, async (c) => {
    const ctx = accountCtx(c);
    const rows = await listSessions(ctx.deps.database.db, ctx.auth.userId);
    const now = Date.now();
    return c.json(
      {
        data: rows
          .filter((s) => s.expiresAt.getTime() > now)
          .map((s) => ({
            id: s.id,
            current: s.id === ctx.auth.sessionId,
            method: s.method,
            ip: s.ip,
            user_agent: s.userAgent,
            created_at: s.createdAt.toISOString(),
            last_seen_at: isoDate(s.lastSeenAt)!,
            expires_at: isoDate(s.expiresAt)!,
          })),
      },
      200,
    );
  });
  app.openapi(revokeRoute, async (c) => {
    const ctx = accountCtx(c);
    const id = c.req.valid("param").id;
    const revoked = await revokeSessions(ctx.deps, {
      userId: ctx.auth.userId,
      sessionId: id,
      actorKeyId: ctx.auth.keyId,
      actorUserId: ctx.auth.userId,
      tenantId: ctx.auth.tenantId,
      reason: "revoked",
      requestId: ctx.requestId,
    });
    if (id === ctx.auth.sessionId) clearSessionCookie(c, ctx.deps.config);
    return c.json({ revoked }, 200);
  });
  app.openapi(revokeAllRoute, async (c) => {
    const ctx = accountCtx(c);
    const revoked = await revokeSessions(ctx.deps, {
      userId: ctx.auth.userId,
      actorKeyId: ctx.auth.keyId,
      actorUserId: ctx.auth.userId,
      tenantId: ctx.auth.tenantId,
      reason: "sign_out_everywhere",
      requestId: ctx.requestId,
    });
    clearSessionCookie(c, ctx.deps.config);
    return c.json({ revoked }, 200);
  });
}
