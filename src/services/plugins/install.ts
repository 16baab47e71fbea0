import { randomUUID } from "node:crypto";
import { cp, mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join, relative } from "node:path";
import { desc, eq } from "drizzle-orm";
import semver from "semver";
import type { AppDeps } from "../../context.js";
import { plugins, pluginVersions } from "../../db/schema.js";
import { readTarball, TarError } from "../../plugins/install/tarball.js";
import { sha256Hex, signerOf } from "../../plugins/install/verify.js";
import type { PluginManifest } from "../../plugins/manifest.js";
import { readManifest } from "../../plugins/package.js";
import { PluginRuntime } from "../../plugins/runtime.js";
import { recordAudit } from "../audit/record.js";
import { ConflictError, NotFoundError, PluginError, ServiceError, ValidationError } from "../errors.js";
import type { PlatformCtx } from "../platform/platform.js";
import { forgetEnabled } from "./enabled-cache.js";

/** The app's plugin runtime; built from config the first time a verb needs it (tests, CLIs). */
/** What reading plugins and their per-organization settings needs (the app's deps, or ingestion's). */
export type PluginDeps = Pick<AppDeps, "database" | "config" | "logger" | "plugins">;

export function pluginRuntime(deps: PluginDeps): PluginRuntime {
  deps.plugins ??= PluginRuntime.fromConfig(deps.config, deps.logger);
  return deps.plugins;
}

export type InstallSource = { tarball: Uint8Array; sha256?: string; signature?: string } | { folder: string };

export interface InstalledVersion {
  id: string;
  version: string;
  kind: string;
  sha256: string;
  signedBy: string | null;
  active: boolean;
}

/**
 * Installs one plugin version with no network: the tarball (npm pack) or folder must already hold
 * its dependencies. The bytes are checked (sha256 when given; a trusted signature when given or
 * required), unpacked to a temporary folder, the manifest validated there, then moved into place as
 * PLUGINS_DIR/<id>@<version>. The first version of a plugin becomes active; later ones wait for upgrade.
 */
export async function installPlugin({
  ctx,
  input: source,
}: {
  ctx: PlatformCtx;
  input: InstallSource;
}): Promise<InstalledVersion> {
  try {
    const out = await install(ctx, source);
    ctx.deps.metrics?.countPluginInstall?.("success");
    return out;
  } catch (err) {
    ctx.deps.metrics?.countPluginInstall?.("failure");
    throw err;
  }
}

async function install(ctx: PlatformCtx, source: InstallSource): Promise<InstalledVersion> {
  const { config, database } = ctx.deps;
  const runtime = pluginRuntime(ctx.deps);
  const staging = join(runtime.dir, `.staging-${randomUUID()}`);
  let sha256: string;
  let signedBy: string | null = null;
  try {
    if ("tarball" in source) {
      sha256 = sha256Hex(source.tarball);
      if (source.sha256 && source.sha256.toLowerCase() !== sha256) {
        throw new PluginError(
          "plugin_invalid",
          "tarball",
          `its sha256 is ${sha256}, not the expected ${source.sha256}`,
        );
      }
      if (source.signature) {
        signedBy = signerOf(source.tarball, source.signature, config.PLUGIN_TRUSTED_KEYS ?? []);
        if (!signedBy)
          throw new PluginError(
            "plugin_invalid",
            "tarball",
            "its signature matches no key of PLUGIN_TRUSTED_KEYS",
          );
      } else if (config.PLUGIN_REQUIRE_SIGNATURE) {
        throw new PluginError(
          "plugin_invalid",
          "tarball",
          "PLUGIN_REQUIRE_SIGNATURE is set and the tarball is unsigned",
        );
      }
      let files: ReturnType<typeof readTarball>;
      try {
        files = readTarball(source.tarball);
      } catch (err) {
        if (err instanceof TarError) throw new PluginError("plugin_invalid", "tarball", err.message);
        throw err;
      }
      for (const f of files) {
        const to = join(staging, f.path);
        await mkdir(dirname(to), { recursive: true });
        await writeFile(to, f.bytes, { mode: 0o644 });
      }
    } else {
      if (config.PLUGIN_REQUIRE_SIGNATURE) {
        throw new PluginError(
          "plugin_invalid",
          source.folder,
          "PLUGIN_REQUIRE_SIGNATURE is set: install signed tarballs",
        );
      }
      await cp(source.folder, staging, { recursive: true, dereference: false, verbatimSymlinks: true }).catch(
        (err: Error) => {
          throw new ValidationError(`The folder ${source.folder} cannot be read: ${err.message}`, [
            { field: "folder", message: "not a readable folder on the server" },
          ]);
        },
      );
      sha256 = await folderDigest(staging);
    }
    const manifest = await readManifest(staging);
    const [clash] = await database.db
      .select()
      .from(pluginVersions)
      .where(eq(pluginVersions.pluginId, manifest.id))
      .then((rows) => rows.filter((r) => r.version === manifest.version));
    if (clash) {
      throw new ConflictError(
        `${manifest.id}@${manifest.version} is already installed; give the package a new version.`,
      );
    }
    const target = runtime.pathOf(manifest.id, manifest.version);
    await rm(target, { recursive: true, force: true });
    await rename(staging, target);
    const [current] = await database.db.select().from(plugins).where(eq(plugins.id, manifest.id));
    await database.db.insert(pluginVersions).values({
      pluginId: manifest.id,
      version: manifest.version,
      kind: manifest.kind,
      manifest: manifest as unknown as Record<string, unknown>,
      sha256,
      signedBy,
      source: "tarball" in source ? "tarball" : "folder",
    });
    if (!current)
      await database.db.insert(plugins).values({ id: manifest.id, activeVersion: manifest.version });
    await audit(ctx, "plugin.install", manifest.id, {
      version: manifest.version,
      sha256,
      signed_by: signedBy,
    });
    return {
      id: manifest.id,
      version: manifest.version,
      kind: manifest.kind,
      sha256,
      signedBy,
      active: !current,
    };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** A stable digest of a folder's files (sorted relative paths and contents). */
async function folderDigest(dir: string): Promise<string> {
  const entries = (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
  const parts: Buffer[] = [];
  for (const p of entries) {
    parts.push(Buffer.from(`${relative(dir, p)}\0`), await readFile(p), Buffer.from("\0"));
  }
  return sha256Hex(Buffer.concat(parts));
}

const audit = (ctx: PlatformCtx, action: string, id: string, detail: Record<string, unknown>) =>
  recordAudit(ctx.deps.database.db, {
    tenantId: null,
    actorKeyId: ctx.auth.keyId,
    actorUserId: ctx.auth.userId ?? null,
    action,
    resourceType: "plugin",
    resourceId: id,
    detail,
    requestId: ctx.requestId,
  });

export async function listInstalled(deps: AppDeps) {
  const [versions, heads] = await Promise.all([
    deps.database.db.select().from(pluginVersions).orderBy(desc(pluginVersions.installedAt)),
    deps.database.db.select().from(plugins),
  ]);
  return heads
    .sort((a, b) => a.id.localeCompare(b.id))
    .map((h) => {
      const mine = versions
        .filter((v) => v.pluginId === h.id)
        .sort((a, b) => semver.rcompare(a.version, b.version));
      const active = mine.find((v) => v.version === h.activeVersion)!;
      return {
        id: h.id,
        kind: active.kind,
        manifest: active.manifest as unknown as PluginManifest,
        activeVersion: h.activeVersion,
        previousVersion: h.previousVersion,
        versions: mine.map((v) => ({
          version: v.version,
          sha256: v.sha256,
          signedBy: v.signedBy,
          installedAt: v.installedAt,
        })),
      };
    });
}

/** The active version's manifest of a plugin, or null when it is not installed. */
export async function activeManifest(deps: PluginDeps, id: string): Promise<PluginManifest | null> {
  const [head] = await deps.database.db.select().from(plugins).where(eq(plugins.id, id));
  if (!head) return null;
  const [v] = await deps.database.db
    .select()
    .from(pluginVersions)
    .where(eq(pluginVersions.pluginId, id))
    .then((rows) => rows.filter((r) => r.version === head.activeVersion));
  return (v?.manifest as unknown as PluginManifest) ?? null;
}

/**
 * Makes another installed version active: `upgrade` (a given version, by default the highest) or
 * `rollback` (the version that was active before). Organizations keep their settings; running
 * sandboxes of the old version stay until idle, new calls go to the new one.
 */
export async function switchVersion({
  ctx,
  input: { id, ...to },
}: {
  ctx: PlatformCtx;
  input: { id: string; version?: string; rollback?: boolean };
}) {
  const db = ctx.deps.database.db;
  const [head] = await db.select().from(plugins).where(eq(plugins.id, id));
  if (!head) throw new NotFoundError("Plugin", id);
  const versions = (await db.select().from(pluginVersions).where(eq(pluginVersions.pluginId, id))).map(
    (v) => v.version,
  );
  let target: string;
  if (to.rollback) {
    if (!head.previousVersion)
      throw new ConflictError(`${id} has no earlier active version to roll back to.`);
    target = head.previousVersion;
  } else {
    target = to.version ?? versions.sort(semver.rcompare)[0]!;
    if (!versions.includes(target)) {
      throw new ServiceError(
        "not_found",
        `${id}@${target} is not installed (installed: ${versions.join(", ")}).`,
      );
    }
  }
  if (target === head.activeVersion)
    throw new ConflictError(`${id}@${target} is already the active version.`);
  await db
    .update(plugins)
    .set({ activeVersion: target, previousVersion: head.activeVersion, updatedAt: new Date() })
    .where(eq(plugins.id, id));
  forgetEnabled(ctx.deps);
  await audit(ctx, to.rollback ? "plugin.rollback" : "plugin.upgrade", id, {
    from: head.activeVersion,
    to: target,
  });
  return { id, activeVersion: target, previousVersion: head.activeVersion };
}
