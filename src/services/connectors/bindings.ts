import { and, asc, eq } from "drizzle-orm";
import type { AppDeps, ServiceCtx } from "../../context.js";
import { connectorBindings } from "../../db/schema.js";
import { newId } from "../../ids.js";
import type { PluginManifest } from "../../plugins/manifest.js";
import { recordAudit } from "../audit/record.js";
import { ConflictError, NotFoundError, ValidationError } from "../errors.js";
import { loadVisibleKb } from "../knowledge-bases/get.js";
import { activeManifest } from "../plugins/install.js";
import { checkConfig, orgPluginSetting } from "../plugins/org.js";
import { checkPublicSources } from "../plugins/public-sources.js";
import { openSecrets, sealSecrets } from "./secrets.js";

export type ConnectorBinding = typeof connectorBindings.$inferSelect;

export interface CreateConnectorInput {
  kbId: string;
  pluginId: string;
  name?: string;
  config?: Record<string, unknown>;
  secrets?: Record<string, string>;
  /** Seconds between scheduled runs; null or absent: only on demand. */
  intervalSeconds?: number | null;
}

/**
 * Binds an organization's enabled connector plugin to a knowledge base. The binding's configuration
 * sits over the organization's setting of the plugin (binding values win), and the merged whole must fit
 * the plugin's schema. A scheduled binding is due at once, so its first run comes with the next tick.
 */
export async function createConnector({ ctx, input }: { ctx: ServiceCtx; input: CreateConnectorInput }) {
  const { deps, auth } = ctx;
  const kb = await loadVisibleKb(deps.database.db, ctx, input.kbId);
  const manifest = await connectorManifest(deps, input.pluginId);
  const org = await orgPluginSetting(deps, auth.tenantId, manifest.id);
  if (!org?.enabled) {
    throw new ConflictError(
      `The plugin ${manifest.id} is not enabled for this organization; enable it first (PUT /v1/plugins/${manifest.id}).`,
    );
  }
  const config = input.config ?? {};
  const secrets = input.secrets ?? {};
  checkSecretNames(manifest, config, secrets);
  const min = deps.config.CONNECTOR_MIN_INTERVAL_SECONDS;
  if (input.intervalSeconds != null && input.intervalSeconds < min) {
    throw new ValidationError(`A connector runs at most every ${min} seconds.`, [
      { field: "interval_seconds", message: `at least ${min} (CONNECTOR_MIN_INTERVAL_SECONDS), or null` },
    ]);
  }
  checkConfig(manifest, { ...org.config, ...org.secrets, ...config, ...secrets });
  if (!deps.config.PLUGIN_ALLOW_PRIVATE_HOSTS)
    await checkPublicSources(manifest, { ...org.config, ...config }, "Connectors");
  const id = newId("cnr");
  const row = {
    id,
    tenantId: auth.tenantId,
    kbId: kb.id,
    pluginId: manifest.id,
    name: input.name ?? manifest.name,
    config,
    secrets: Object.keys(secrets).length ? sealSecrets(deps, auth.tenantId, id, secrets) : null,
    intervalSeconds: input.intervalSeconds ?? null,
    nextRunAt: input.intervalSeconds != null ? new Date() : null,
  };
  const [created] = await deps.database.db.insert(connectorBindings).values(row).returning();
  await audit(ctx, "connector.create", created!, {
    plugin_id: manifest.id,
    config_keys: Object.keys(config),
    secrets_set: Object.keys(secrets),
    interval_seconds: row.intervalSeconds,
  });
  return created!;
}

export async function listConnectors({ ctx, input }: { ctx: ServiceCtx; input: { kbId: string } }) {
  const kb = await loadVisibleKb(ctx.deps.database.db, ctx, input.kbId);
  return ctx.deps.database.db
    .select()
    .from(connectorBindings)
    .where(and(eq(connectorBindings.tenantId, ctx.auth.tenantId), eq(connectorBindings.kbId, kb.id)))
    .orderBy(asc(connectorBindings.id));
}

/** One binding of a knowledge base the caller may see; 404 otherwise (another tenant's included). */
export async function getConnector({ ctx, input }: { ctx: ServiceCtx; input: { kbId: string; id: string } }) {
  const kb = await loadVisibleKb(ctx.deps.database.db, ctx, input.kbId);
  const [row] = await ctx.deps.database.db
    .select()
    .from(connectorBindings)
    .where(
      and(
        eq(connectorBindings.id, input.id),
        eq(connectorBindings.tenantId, ctx.auth.tenantId),
        eq(connectorBindings.kbId, kb.id),
      ),
    );
  if (!row) throw new NotFoundError("Connector", input.id);
  return row;
}

/**
 * Removes a binding and its item records. The documents it brought in stay in the knowledge base (they
 * are ordinary documents; delete them like any other); a run in progress stops at its next item.
 */
export async function deleteConnector({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { kbId: string; id: string };
}) {
  const row = await getConnector({ ctx, input });
  await ctx.deps.database.db.delete(connectorBindings).where(eq(connectorBindings.id, row.id));
  await audit(ctx, "connector.delete", row, { plugin_id: row.pluginId });
  return { id: row.id, deleted: true as const };
}

/** The active manifest of an installed connector plugin, or a clear refusal. */
export async function connectorManifest(deps: AppDeps, pluginId: string): Promise<PluginManifest> {
  const manifest = await activeManifest(deps, pluginId);
  if (!manifest) throw new NotFoundError("Plugin", pluginId);
  if (manifest.kind !== "connector") {
    throw new ValidationError(`${pluginId} is a ${manifest.kind} plugin, not a connector.`, [
      { field: "plugin_id", message: "the id of an installed connector plugin" },
    ]);
  }
  return manifest;
}

/** The configuration a run hands the plugin: the organization's setting under the binding's. */
export async function runConfig(deps: AppDeps, b: ConnectorBinding) {
  const org = await orgPluginSetting(deps, b.tenantId, b.pluginId);
  const merged = {
    ...org?.config,
    ...org?.secrets,
    ...b.config,
    ...openSecrets(deps, b.tenantId, b.id, b.secrets),
  };
  return { enabled: org?.enabled ?? false, config: merged };
}

function checkSecretNames(
  manifest: PluginManifest,
  config: Record<string, unknown>,
  secrets: Record<string, string>,
) {
  const unknown = Object.keys(secrets).find((k) => !manifest.secrets.includes(k));
  if (unknown) {
    throw new ValidationError(`${unknown} is not a secret of ${manifest.id}`, [
      {
        field: `secrets.${unknown}`,
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
}

const audit = (ctx: ServiceCtx, action: string, b: ConnectorBinding, detail: Record<string, unknown>) =>
  recordAudit(ctx.deps.database.db, {
    tenantId: ctx.auth.tenantId,
    actorKeyId: ctx.auth.keyId,
    actorUserId: ctx.auth.userId ?? null,
    action,
    resourceType: "connector",
    resourceId: b.id,
    kbIds: [b.kbId],
    detail,
    requestId: ctx.requestId,
  });
