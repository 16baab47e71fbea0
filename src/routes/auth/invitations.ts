import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../context.js";
import { acceptInvitation } from "../../services/orgs/invitations.js";
import { errorResponses, jsonBody, jsonResponse } from "../common.js";
import { Password, publicCtx, RoleSchema, SessionSchema, startedResponse, Token } from "./schema.js";

const AcceptBody = z
  .strictObject({
    token: Token,
    password: Password.optional().openapi({
      description: "Needed only when no account has the invited email yet.",
    }),
    name: z.string().trim().max(200).optional(),
  })
  .openapi("AcceptInvitation");

const AcceptResponse = z
  .object({
    organization_id: z.string(),
    role: RoleSchema,
    account_created: z.boolean(),
    session: SessionSchema.nullable().openapi({
      description:
        "For a new account, the session that was started (Set-Cookie). Existing accounts sign in as usual.",
    }),
  })
  .openapi("InvitationAccepted");

export const route = createRoute({
  method: "post",
  path: "/auth/invitations/accept",
  tags: ["Organizations"],
  summary: "Accept an invitation: creates the account (with a password) or adds the membership",
  security: [],
  request: { body: jsonBody(AcceptBody) },
  responses: { 200: jsonResponse(AcceptResponse, "Membership added."), ...errorResponses(403, 410) },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    const b = c.req.valid("json");
    const r = await acceptInvitation({
      ctx: publicCtx(c),
      input: {
        token: b.token,
        ...(b.password ? { password: b.password } : {}),
        ...(b.name ? { name: b.name } : {}),
      },
    });
    return c.json(
      {
        organization_id: r.tenantId,
        role: r.role,
        account_created: r.created,
        session: r.started ? await startedResponse(c, r.user, r.started) : null,
      },
      200,
    );
  });
}
