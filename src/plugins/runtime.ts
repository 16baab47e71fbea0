import { join, resolve } from "node:path";
import type { Config } from "../config.js";
import type { PluginManifest } from "./manifest.js";
import { PluginSandbox, type PoolOptions } from "./sandbox/pool.js";

/** What the runtime logs with (the app's Logger fits; declared here so src/context.ts stays a leaf). */
export interface PluginHostLogger {
  info(obj: object, msg?: string): void;
}

/**
 * Where installed plugins live on disk and their running sandboxes, one pool of processes per installed
 * version (PLUGIN_POOL_SIZE), started on first use. Owned by the app's dependencies (composed at the entry), closed at shutdown.
 */
export class PluginRuntime {
  private sandboxes = new Map<string, PluginSandbox>();

  constructor(
    readonly dir: string,
    private readonly opts: PoolOptions = {},
  ) {}

  static fromConfig(config: Config, logger: PluginHostLogger, fetchImpl?: typeof fetch): PluginRuntime {
    return new PluginRuntime(resolve(config.PLUGINS_DIR ?? join(config.DATA_DIR, "plugins")), {
      maxMemoryMb: config.PLUGIN_MAX_MEMORY_MB,
      maxTimeMs: config.PLUGIN_MAX_TIME_MS,
      allowPrivateHosts: config.PLUGIN_ALLOW_PRIVATE_HOSTS,
      poolSize: config.PLUGIN_POOL_SIZE,
      fetch: fetchImpl,
      log: (plugin, message) => logger.info({ plugin }, message),
    });
  }

  pathOf(id: string, version: string): string {
    return join(this.dir, `${id}@${version}`);
  }

  sandbox(manifest: PluginManifest): PluginSandbox {
    const key = `${manifest.id}@${manifest.version}`;
    let s = this.sandboxes.get(key);
    if (!s) {
      s = new PluginSandbox(this.pathOf(manifest.id, manifest.version), manifest, this.opts);
      this.sandboxes.set(key, s);
    }
    return s;
  }

  close() {
    for (const s of this.sandboxes.values()) s.close();
    this.sandboxes.clear();
  }
}
