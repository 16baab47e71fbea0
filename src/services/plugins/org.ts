import { Ajv } from "ajv";
import { and, eq } from "drizzle-orm";
import { decryptBlob, encryptBlob } from "../../blobs/encryption.js";
import type { ServiceCtx } from "../../context.js";
import { orgPlugins } from "../../db/schema.js";
import type { PluginKind, PluginManifest } from "../../plugins/manifest.js";
import type { PluginSandbox } from "../../plugins/sandbox/pool.js";
import { recordAudit } from "../audit/record.js";
import { NotFoundError, ValidationError } from "../errors.js";
import { enabledRows, forgetEnabled, loadEnabled } from "./enabled-cache.js";
import { activeManifest, listInstalled, type PluginDeps, pluginRuntime } from "./install.js";
import { checkPublicSources } from "./public-sources.js";

const aad = (tenantId: string, pluginId: string) => `plugin-secrets:${tenantId}:${pluginId}`;

/** The installed plugins as an organization sees them: enabled or not, its configuration (never secrets). */
export async function listOrgPlugins({ ctx }: { ctx: ServiceCtx }) {
  const [installed, mine] = await Promise.all([
    listInstalled(ctx.deps),
    ctx.deps.database.db.select().from(orgPlugins).where(eq(orgPlugins.tenantId, ctx.auth.tenantId)),
  ]);
  return installed.map((p) => {
    const row = mine.find((r) => r.pluginId === p.id);
    return {
      id: p.id,
      kind: p.kind,
      name: p.manifest.name,
      description: p.manifest.description,
      version: p.activeVersion,
      enabled: row?.enabled ?? false,
      config: row?.config ?? {},
      secretNames: p.manifest.secrets,
      secretsSet: row?.secrets
        ? Object.keys(readSecrets(ctx.deps, ctx.auth.tenantId, p.id, row.secrets))
        : [],
      configSchema: p.manifest.configSchema,
    };
  });
}

/**
 * Enables, disables or configures a plugin for the caller's organization. The configuration is checked
 * against the manifest's JSON schema (with secrets, which are stored apart, encrypted with the first
 * BLOB_ENCRYPTION_KEYS key and bound to the organization and plugin). Omitted secrets are kept.
 */
export async function configureOrgPlugin({
  ctx,
  input: { id, ...input },
}: {
  ctx: ServiceCtx;
  input: { id: string } & {
    enabled: boolean;
    config?: Record<string, unknown>;
    secrets?: Record<string, string>;
  };
}) {
  const { deps, auth } = ctx;
  const manifest = await activeManifest(deps, id);
  if (!manifest) throw new NotFoundError("Plugin", id);
  const [row] = await deps.database.db
    .select()
    .from(orgPlugins)
    .where(and(eq(orgPlugins.tenantId, auth.tenantId), eq(orgPlugins.pluginId, id)));
  const config = input.config ?? row?.config ?? {};
  const unknownSecret = Object.keys(input.secrets ?? {}).find((k) => !manifest.secrets.includes(k));
  if (unknownSecret) {
    throw new ValidationError(`${unknownSecret} is not a secret of ${id}`, [
      {
        field: `secrets.${unknownSecret}`,
        message: `the plugin's secrets are: ${manifest.secrets.join(", ") || "none"}`,
      },
    ]);
  }
  const leaked = Object.keys(config).find((k) => manifest.secrets.includes(k));
  if (leaked) {
    throw new ValidationError(`${leaked} is a secret: send it in secrets, not config`, [
      { field: `config.${leaked}`, message: "send secrets in `secrets`; they are stored encrypted" },
    ]);
  }
  const secrets = {
    ...(row?.secrets ? readSecrets(deps, auth.tenantId, id, row.secrets) : {}),
    ...input.secrets,
  };
  // A connector's required values (its source) usually come with each binding to a knowledge base, so
  // the organization's setting is checked for what it gives, and the merge again at binding time.
  if (input.enabled) {
    checkConfig(manifest, { ...config, ...secrets }, { partial: manifest.kind === "connector" });
    if (!deps.config.PLUGIN_ALLOW_PRIVATE_HOSTS)
      await checkPublicSources(manifest, { ...config, ...secrets });
  }
  let sealed: string | null = row?.secrets ?? null;
  if (input.secrets && Object.keys(input.secrets).length) {
    const key = deps.config.BLOB_ENCRYPTION_KEYS?.[0];
    if (!key) {
      throw new ValidationError("Plugin secrets are stored encrypted: set BLOB_ENCRYPTION_KEYS first.", [
        { field: "secrets", message: "the service has no encryption key (BLOB_ENCRYPTION_KEYS)" },
      ]);
    }
    const bytes = encryptBlob(Buffer.from(JSON.stringify(secrets)), key, aad(auth.tenantId, id));
    sealed = Buffer.from(bytes).toString("base64");
  }
  const values = { enabled: input.enabled, config, secrets: sealed, updatedAt: new Date() };
  await deps.database.db
    .insert(orgPlugins)
    .values({ tenantId: auth.tenantId, pluginId: id, ...values })
    .onConflictDoUpdate({ target: [orgPlugins.tenantId, orgPlugins.pluginId], set: values });
  forgetEnabled(deps, auth.tenantId);
  await recordAudit(deps.database.db, {
    tenantId: auth.tenantId,
    actorKeyId: auth.keyId,
    actorUserId: auth.userId ?? null,
    action: input.enabled ? "plugin.enable" : "plugin.disable",
    resourceType: "plugin",
    resourceId: id,
    detail: { config_keys: Object.keys(config), secrets_set: Object.keys(input.secrets ?? {}) },
    requestId: ctx.requestId,
  });
  return { id, enabled: input.enabled, config };
}

export function readSecrets(
  deps: PluginDeps,
  tenantId: string,
  id: string,
  sealed: string,
): Record<string, string> {
  const plain = decryptBlob(
    Buffer.from(sealed, "base64"),
    deps.config.BLOB_ENCRYPTION_KEYS ?? [],
    aad(tenantId, id),
  );
  return JSON.parse(Buffer.from(plain).toString("utf8"));
}

export function checkConfig(
  manifest: PluginManifest,
  value: Record<string, unknown>,
  opts: { partial?: boolean } = {},
) {
  const ajv = new Ajv({ allErrors: true, strict: false });
  let validate: ReturnType<Ajv["compile"]>;
  const { required: _required, ...withoutRequired } = manifest.configSchema;
  try {
    validate = ajv.compile(opts.partial ? withoutRequired : manifest.configSchema);
  } catch (err) {
    throw new ValidationError(`${manifest.id}'s configuration schema is invalid: ${(err as Error).message}`);
  }
  if (!validate(value)) {
    const fields = (validate.errors ?? []).map((e) => ({
      field: `config${e.instancePath.replace(/\//g, ".")}`,
      message: e.message ?? "invalid",
    }));
    throw new ValidationError(`The configuration does not fit ${manifest.id}'s schema.`, fields);
  }
}

export interface EnabledPlugin {
  manifest: PluginManifest;
  sandbox: PluginSandbox;
  /** Configuration with secrets merged in: what the plugin receives. */
  config: Record<string, unknown>;
}

/** An organization's setting of one plugin (enabled or not), with its secrets opened; null when never set. */
export async function orgPluginSetting(deps: PluginDeps, tenantId: string, id: string) {
  const [row] = await deps.database.db
    .select()
    .from(orgPlugins)
    .where(and(eq(orgPlugins.tenantId, tenantId), eq(orgPlugins.pluginId, id)));
  if (!row) return null;
  const secrets = row.secrets ? readSecrets(deps, tenantId, id, row.secrets) : {};
  return { enabled: row.enabled, config: row.config, secrets };
}

/**
 * The plugins of one kind an organization has enabled, ready to call (in id order). `cached`: as read
 * within the last few seconds (enabled-cache.ts), for the steps every ask takes.
 */
export async function enabledPlugins(
  deps: PluginDeps,
  tenantId: string,
  kind: PluginKind,
  opts: { cached?: boolean } = {},
): Promise<EnabledPlugin[]> {
  const all = await (opts.cached ? enabledRows(deps, tenantId) : loadEnabled(deps, tenantId));
  const rows = all.filter((r) => r.manifest.kind === kind);
  return rows.map((row) => ({
    manifest: row.manifest,
    sandbox: pluginRuntime(deps).sandbox(row.manifest),
    config: { ...row.config, ...(row.secrets ? readSecrets(deps, tenantId, row.pluginId, row.secrets) : {}) },
  }));
}
