import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../context.js";
import type { ssoConfigs } from "../../db/schema.js";
import { deleteSso, getSso, putSso, redirectUri } from "../../services/orgs/sso.js";
import { RoleSchema } from "../auth/schema.js";
import { errorResponses, jsonBody, jsonResponse } from "../common.js";
import { OrgParam, orgCtx, security } from "./schema.js";

const SsoSchema = z
  .object({
    configured: z.boolean(),
    issuer: z.string().nullable().openapi({ example: "https://login.example.com" }),
    client_id: z.string().nullable(),
    client_secret_set: z.boolean(),
    allowed_domains: z.array(z.string()).openapi({ example: ["example.com"] }),
    default_role: RoleSchema.nullable(),
    enabled: z.boolean(),
    redirect_uri: z.string().openapi({ description: "Register this redirect URI at the identity provider." }),
    sign_in_url: z.string().openapi({ description: "Send people here to sign in with the provider." }),
  })
  .openapi("SsoSettings");

const PutSso = z
  .strictObject({
    issuer: z.string().url().max(500).openapi({ example: "https://login.example.com" }),
    client_id: z.string().min(1).max(500).openapi({ example: "ai-hub" }),
    client_secret: z
      .string()
      .min(1)
      .max(2000)
      .optional()
      .openapi({ description: "Write-only; kept when omitted." }),
    allowed_domains: z
      .array(
        z
          .string()
          .trim()
          .toLowerCase()
          .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, "a domain like example.com"),
      )
      .min(1)
      .max(50),
    default_role: RoleSchema.openapi({
      description: "Role of people who join through their first SSO sign-in (not owner).",
    }),
    enabled: z.boolean().default(true),
  })
  .openapi("PutSsoSettings");

export const getRoute = createRoute({
  method: "get",
  path: "/orgs/{orgId}/sso",
  tags: ["Single sign-on"],
  summary: "The organization's OpenID Connect settings (sso.manage); the secret is never returned",
  security,
  request: { params: OrgParam },
  responses: { 200: jsonResponse(SsoSchema, "Settings."), ...errorResponses(403, 404) },
});

export const putRoute = createRoute({
  method: "put",
  path: "/orgs/{orgId}/sso",
  tags: ["Single sign-on"],
  summary:
    "Set OpenID Connect single sign-on: issuer, client, allowed email domains, default role (sso.manage)",
  security,
  request: { params: OrgParam, body: jsonBody(PutSso) },
  responses: { 200: jsonResponse(SsoSchema, "Saved."), ...errorResponses(403, 404) },
});

export const deleteRoute = createRoute({
  method: "delete",
  path: "/orgs/{orgId}/sso",
  tags: ["Single sign-on"],
  summary: "Turn single sign-on off and forget its settings (sso.manage)",
  security,
  request: { params: OrgParam },
  responses: {
    200: jsonResponse(z.object({ deleted: z.boolean() }), "Deleted."),
    ...errorResponses(403, 404),
  },
});

function toSso(c: Parameters<typeof orgCtx>[0], orgId: string, row: typeof ssoConfigs.$inferSelect | null) {
  const deps = c.get("deps");
  const redirect = redirectUri(deps);
  return {
    configured: row !== null,
    issuer: row?.issuer ?? null,
    client_id: row?.clientId ?? null,
    client_secret_set: !!row?.clientSecret,
    allowed_domains: row?.allowedDomains ?? [],
    default_role: (row?.defaultRole as z.infer<typeof RoleSchema> | undefined) ?? null,
    enabled: row?.enabled ?? false,
    redirect_uri: redirect,
    sign_in_url: redirect.replace(/callback$/, `${orgId}/start`),
  };
}

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(getRoute, async (c) => {
    const { orgId } = c.req.valid("param");
    return c.json(toSso(c, orgId, await getSso(orgCtx(c, orgId, "sso.manage"))), 200);
  });
  app.openapi(putRoute, async (c) => {
    const { orgId } = c.req.valid("param");
    const b = c.req.valid("json");
    const row = await putSso({
      ctx: orgCtx(c, orgId, "sso.manage"),
      input: {
        issuer: b.issuer,
        clientId: b.client_id,
        ...(b.client_secret ? { clientSecret: b.client_secret } : {}),
        allowedDomains: b.allowed_domains,
        defaultRole: b.default_role,
        enabled: b.enabled,
      },
    });
    return c.json(toSso(c, orgId, row), 200);
  });
  app.openapi(deleteRoute, async (c) => {
    return c.json({ deleted: await deleteSso(orgCtx(c, c.req.valid("param").orgId, "sso.manage")) }, 200);
  });
}
