import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../context.js";
import { ApiError } from "../../errors.js";
import { installPlugin, listInstalled, switchVersion } from "../../services/plugins/install.js";
import { errorResponses, jsonBody, jsonResponse } from "../common.js";
import { platformCtx, security } from "./schema.js";

const tags = ["Plugins"];
/** A plugin ships its dependencies (OCR language data is tens of MB); larger tarballs are refused. */
const MAX_TARBALL_BYTES = 256 * 1024 * 1024;

const PluginIdParam = z.object({ id: z.string().min(3).max(64).openapi({ example: "mmr-reranker" }) });
const InstalledSchema = z
  .object({
    id: z.string(),
    version: z.string(),
    kind: z.string(),
    sha256: z.string(),
    signed_by: z.string().nullable(),
    active: z
      .boolean()
      .openapi({ description: "Whether this version runs now (the first install of a plugin)." }),
  })
  .openapi("InstalledPluginVersion");
const PluginSchema = z
  .object({
    id: z.string(),
    kind: z.string(),
    name: z.string(),
    active_version: z.string(),
    previous_version: z.string().nullable(),
    permissions: z.record(z.string(), z.unknown()),
    limits: z.record(z.string(), z.unknown()),
    versions: z.array(
      z.object({
        version: z.string(),
        sha256: z.string(),
        signed_by: z.string().nullable(),
        installed_at: z.string(),
      }),
    ),
  })
  .openapi("InstalledPlugin");
const SwitchSchema = z.object({ id: z.string(), active_version: z.string(), previous_version: z.string() });

export const installPluginRoute = createRoute({
  method: "post",
  path: "/platform/plugins",
  tags,
  summary:
    "Install a plugin version from an npm tarball or a server folder, with no network (platform administrator)",
  description:
    'Send the `npm pack` tarball as the body (`application/gzip` or `application/octet-stream`), with `sha256` and, optionally, `signature` (base64, by a key of PLUGIN_TRUSTED_KEYS) in the query; or JSON `{"folder": "/path"}` for a folder on the server. The package must contain its dependencies. The first version of a plugin becomes active; later versions wait for `upgrade`.',
  security,
  request: {
    query: z.object({
      sha256: z
        .string()
        .regex(/^[0-9a-fA-F]{64}$/)
        .optional(),
      signature: z.string().max(2000).optional(),
    }),
    body: {
      content: {
        "application/gzip": { schema: z.string().openapi({ format: "binary" }) },
        "application/octet-stream": { schema: z.string().openapi({ format: "binary" }) },
        // Optional here because the validator sees `{}` for the tarball types; the handler requires it.
        "application/json": { schema: z.object({ folder: z.string().min(1).max(1000).optional() }) },
      },
      required: true,
    },
  },
  responses: {
    201: jsonResponse(InstalledSchema, "The installed version."),
    ...errorResponses(403, 409, 413, 415),
  },
});

export const listPluginsRoute = createRoute({
  method: "get",
  path: "/platform/plugins",
  tags,
  summary: "List installed plugins and their versions (platform administrator)",
  security,
  responses: {
    200: jsonResponse(z.object({ data: z.array(PluginSchema) }), "Installed plugins."),
    ...errorResponses(403),
  },
});

export const upgradePluginRoute = createRoute({
  method: "post",
  path: "/platform/plugins/{id}/upgrade",
  tags,
  summary: "Make another installed version active (by default the highest) (platform administrator)",
  security,
  request: { params: PluginIdParam, body: jsonBody(z.object({ version: z.string().max(64).optional() })) },
  responses: { 200: jsonResponse(SwitchSchema, "The switch."), ...errorResponses(403, 404, 409) },
});

export const rollbackPluginRoute = createRoute({
  method: "post",
  path: "/platform/plugins/{id}/rollback",
  tags,
  summary: "Go back to the version that was active before (platform administrator)",
  security,
  request: { params: PluginIdParam },
  responses: { 200: jsonResponse(SwitchSchema, "The switch."), ...errorResponses(403, 404, 409) },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(installPluginRoute, async (c) => {
    const ctx = platformCtx(c);
    const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim();
    let out: Awaited<ReturnType<typeof installPlugin>>;
    if (type === "application/json") {
      const body = z
        .object({ folder: z.string().min(1).max(1000) })
        .safeParse(await c.req.json().catch(() => null));
      if (!body.success) throw new ApiError("validation_failed", 'Send {"folder": "/path/on/the/server"}.');
      out = await installPlugin({ ctx, input: { folder: body.data.folder } });
    } else if (type === "application/gzip" || type === "application/octet-stream") {
      const len = Number(c.req.header("content-length") ?? 0);
      if (len > MAX_TARBALL_BYTES)
        throw new ApiError("payload_too_large", "Plugin tarballs are limited to 256 MB.");
      const tarball = new Uint8Array(await c.req.arrayBuffer());
      if (tarball.length > MAX_TARBALL_BYTES)
        throw new ApiError("payload_too_large", "Plugin tarballs are limited to 256 MB.");
      const q = c.req.valid("query");
      out = await installPlugin({ ctx, input: { tarball, sha256: q.sha256, signature: q.signature } });
    } else {
      throw new ApiError(
        "unsupported_media_type",
        'Send an npm tarball (application/gzip) or JSON {"folder": ...}.',
      );
    }
    return c.json(
      {
        id: out.id,
        version: out.version,
        kind: out.kind,
        sha256: out.sha256,
        signed_by: out.signedBy,
        active: out.active,
      },
      201,
    );
  });
  app.openapi(listPluginsRoute, async (c) => {
    const { deps } = platformCtx(c);
    const data = (await listInstalled(deps)).map((p) => ({
      id: p.id,
      kind: p.kind,
      name: p.manifest.name,
      active_version: p.activeVersion,
      previous_version: p.previousVersion,
      permissions: p.manifest.permissions,
      limits: p.manifest.limits,
      versions: p.versions.map((v) => ({
        version: v.version,
        sha256: v.sha256,
        signed_by: v.signedBy,
        installed_at: v.installedAt.toISOString(),
      })),
    }));
    return c.json({ data }, 200);
  });
  app.openapi(upgradePluginRoute, async (c) => {
    const r = await switchVersion({
      ctx: platformCtx(c),
      input: { id: c.req.valid("param").id, version: c.req.valid("json").version },
    });
    return c.json({ id: r.id, active_version: r.activeVersion, previous_version: r.previousVersion }, 200);
  });
  app.openapi(rollbackPluginRoute, async (c) => {
    const r = await switchVersion({
      ctx: platformCtx(c),
      input: { id: c.req.valid("param").id, rollback: true },
    });
    return c.json({ id: r.id, active_version: r.activeVersion, previous_version: r.previousVersion }, 200);
  });
}
