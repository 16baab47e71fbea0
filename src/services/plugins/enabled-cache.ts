import { and, eq } from "drizzle-orm";
import type { AppDeps } from "../../context.js";
import { orgPlugins, plugins, pluginVersions } from "../../db/schema.js";
import type { PluginManifest } from "../../plugins/manifest.js";

/**
 * An organization's enabled plugins with their active manifests, as one joined query, remembered for
 * a few seconds per process. Every ask consults them three times (expanders, rerankers,
 * post-processors) and almost every organization has none, so without this each ask paid three
 * queries (plus two per enabled plugin) for nothing: about 2 ms of an ask's 7 ms on the embedded
 * database. A change made through this process is seen at once (the verbs call `forgetEnabled`);
 * another API process sees it within ENABLED_TTL_MS plus one read (an expired entry still answers
 * while it is read again). Uploads and ingestion read afresh (`loadEnabled`):
 * an organization that enables the OCR loader and uploads a scan at once must not see it refused.
 */
/** What the cache needs of the dependencies (the API's and ingestion's alike). */
type CacheDeps = Pick<AppDeps, "database">;

export const ENABLED_TTL_MS = 5_000;

export interface EnabledRow {
  pluginId: string;
  config: Record<string, unknown>;
  secrets: string | null;
  manifest: PluginManifest;
}

interface Entry {
  expires: number;
  rows: Promise<EnabledRow[]>;
  /** A read started because the entry expired; the entry keeps answering until it lands. */
  refreshing?: boolean;
}

// Keyed by the database, not module-wide: two apps in one process (tests) never share entries, while
// the API's and ingestion's dependencies of one process (other objects, one database) do.
const caches = new WeakMap<object, Map<string, Entry>>();

function cacheOf(deps: CacheDeps): Map<string, Entry> {
  const known = caches.get(deps.database);
  if (known) return known;
  const fresh = new Map<string, Entry>();
  caches.set(deps.database, fresh);
  return fresh;
}

/** The tenant's enabled plugins in id order, whatever their kind. */
export function enabledRows(deps: CacheDeps, tenantId: string): Promise<EnabledRow[]> {
  const cache = cacheOf(deps);
  const now = Date.now();
  const hit = cache.get(tenantId);
  if (hit && hit.expires > now) return hit.rows;
  if (hit) {
    // Expired: answer with what was read and read again beside it, so an ask never waits on the
    // database for this (it used to, every 5 s per organization, behind ledger commits in fsync).
    if (!hit.refreshing) {
      hit.refreshing = true;
      loadEnabled(deps, tenantId).then(
        (rows) => {
          // Unless forgetEnabled dropped or replaced the entry meanwhile (its reader is fresher).
          if (cache.get(tenantId) === hit)
            cache.set(tenantId, { expires: Date.now() + ENABLED_TTL_MS, rows: Promise.resolve(rows) });
        },
        () => {
          hit.refreshing = false;
        },
      );
    }
    return hit.rows;
  }
  const rows = loadEnabled(deps, tenantId);
  cache.set(tenantId, { expires: now + ENABLED_TTL_MS, rows });
  // A failed read is not remembered: the next ask tries again.
  rows.catch(() => cache.delete(tenantId));
  return rows;
}

/** After enabling, configuring, upgrading or rolling back: this process reads afresh. */
export function forgetEnabled(deps: CacheDeps, tenantId?: string): void {
  if (tenantId === undefined) caches.delete(deps.database);
  else caches.get(deps.database)?.delete(tenantId);
}

/** The same, read now: for steps where a plugin enabled a moment ago on another process must count. */
export async function loadEnabled(deps: CacheDeps, tenantId: string): Promise<EnabledRow[]> {
  const rows = await deps.database.db
    .select({
      pluginId: orgPlugins.pluginId,
      config: orgPlugins.config,
      secrets: orgPlugins.secrets,
      manifest: pluginVersions.manifest,
    })
    .from(orgPlugins)
    .innerJoin(plugins, eq(plugins.id, orgPlugins.pluginId))
    .innerJoin(
      pluginVersions,
      and(eq(pluginVersions.pluginId, plugins.id), eq(pluginVersions.version, plugins.activeVersion)),
    )
    .where(and(eq(orgPlugins.tenantId, tenantId), eq(orgPlugins.enabled, true)));
  return rows
    .map((r) => ({ ...r, manifest: r.manifest as unknown as PluginManifest }))
    .sort((a, b) => a.pluginId.localeCompare(b.pluginId));
}
