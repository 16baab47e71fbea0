import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { requirePlatform } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import type { PlatformCtx } from "../../services/platform/platform.js";

export const security: Record<string, string[]>[] = [{ bearerAuth: [] }, { sessionCookie: [] }];

export function platformCtx(c: Context<AppEnv>): PlatformCtx {
  const auth = c.get("auth");
  requirePlatform(auth);
  return { deps: c.get("deps"), auth, requestId: c.get("requestId") };
}

export const PlatformOrg = z
  .object({
    id: z.string().openapi({ example: "ten_01jc8w7k3m9x2p4q5r6s7t8v9w" }),
    name: z.string(),
    members: z.number().int(),
    suspended: z.boolean(),
    created_at: z.string(),
  })
  .openapi("PlatformOrganization");

export const IdParam = z.object({ id: z.string().min(1).max(64) });
