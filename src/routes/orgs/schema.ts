import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { requireAction } from "../../auth/middleware.js";
import type { Action } from "../../auth/roles.js";
import type { AppEnv, ServiceCtx } from "../../context.js";
import { NotFoundError } from "../../services/errors.js";
import { RoleSchema } from "../auth/schema.js";

export const OrgParam = z.object({
  orgId: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "orgId", in: "path" }, example: "ten_01jc8w7k3m9x2p4q5r6s7t8v9w" }),
});

/**
 * /v1/orgs/{orgId}/... acts on the caller's current organization only (a key's tenant, a session's
 * chosen organization): another id is 404 whether or not it exists. The role table decides the rest.
 */
export function orgCtx(c: Context<AppEnv>, orgId: string, action: Action): ServiceCtx {
  const auth = requireAction(c.get("auth"), action);
  if (auth.tenantId !== orgId) throw new NotFoundError("Organization", orgId);
  return { deps: c.get("deps"), auth, requestId: c.get("requestId") };
}

export const MemberSchema = z
  .object({
    user_id: z.string().openapi({ example: "usr_01jc8w7k3m9x2p4q5r6s7t8v9w" }),
    email: z.string().openapi({ example: "grace@example.com" }),
    name: z.string(),
    role: RoleSchema,
    two_factor: z.boolean(),
    joined_at: z.string(),
  })
  .openapi("Member");

export const InvitationSchema = z
  .object({
    id: z.string().openapi({ example: "inv_01jc8w7k3m9x2p4q5r6s7t8v9w" }),
    email: z.string(),
    role: RoleSchema,
    expires_at: z.string(),
    created_at: z.string(),
  })
  .openapi("Invitation");

export const security: Record<string, string[]>[] = [{ sessionCookie: [] }, { bearerAuth: [] }];
