import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { actionCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { configureOrgPlugin, listOrgPlugins } from "../../services/plugins/org.js";
import { errorResponses, jsonBody, jsonResponse, security } from "../common.js";

const tags = ["Plugins"];

const OrgPluginSchema = z
  .object({
    id: z.string().openapi({ example: "mmr-reranker" }),
    kind: z.string(),
    name: z.string(),
    description: z.string(),
    version: z.string(),
    enabled: z.boolean(),
    config: z.record(z.string(), z.unknown()),
    secret_names: z.array(z.string()),
    secrets_set: z
      .array(z.string())
      .openapi({ description: "Secrets with a stored value; values are never returned." }),
    config_schema: z.record(z.string(), z.unknown()),
  })
  .openapi("OrgPlugin");

export const ConfigurePluginBody = z
  .object({
    enabled: z.boolean(),
    config: z
      .record(z.string(), z.unknown())
      .optional()
      .openapi({ description: "Checked against the plugin's configSchema." }),
    secrets: z
      .record(z.string(), z.string().max(4000))
      .optional()
      .openapi({ description: "Values the manifest names as secrets; stored encrypted, kept when omitted." }),
  })
  .openapi("ConfigurePlugin");

export const listOrgPluginsRoute = createRoute({
  method: "get",
  path: "/plugins",
  tags,
  summary: "The installed plugins, and which this organization has enabled (scope admin)",
  security,
  responses: {
    200: jsonResponse(z.object({ data: z.array(OrgPluginSchema) }), "Plugins."),
    ...errorResponses(403),
  },
});

export const configurePluginRoute = createRoute({
  method: "put",
  path: "/plugins/{id}",
  tags,
  summary: "Enable, disable or configure a plugin for this organization (scope admin)",
  security,
  request: { params: z.object({ id: z.string().min(3).max(64) }), body: jsonBody(ConfigurePluginBody) },
  responses: {
    200: jsonResponse(
      z.object({ id: z.string(), enabled: z.boolean(), config: z.record(z.string(), z.unknown()) }),
      "The organization's setting.",
    ),
    ...errorResponses(403, 404),
  },
});

export type ConfigurePluginRequest = z.input<typeof ConfigurePluginBody>;

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(listOrgPluginsRoute, async (c) => {
    const rows = await listOrgPlugins({ ctx: actionCtx(c, "admin") });
    const data = rows.map((p) => ({
      id: p.id,
      kind: p.kind,
      name: p.name,
      description: p.description,
      version: p.version,
      enabled: p.enabled,
      config: p.config,
      secret_names: p.secretNames,
      secrets_set: p.secretsSet,
      config_schema: p.configSchema,
    }));
    return c.json({ data }, 200);
  });
  app.openapi(configurePluginRoute, async (c) => {
    const out = await configureOrgPlugin({
      ctx: actionCtx(c, "admin"),
      input: { id: c.req.valid("param").id, ...c.req.valid("json") },
    });
    return c.json(out, 200);
  });
}
