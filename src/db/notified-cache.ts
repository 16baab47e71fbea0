import type { AppDeps } from "../context.js";
import type { Database } from "./client.js";

export interface NotifiedCacheOptions {
  /** The channel a trigger NOTIFYs on every change of the rows behind the cached values. */
  channel: string;
  /** Upper bound on an entry's age: what a notification lost in flight could leave behind. */
  ttlMs: number;
  /** Entries kept; the oldest goes first. */
  max: number;
  /** After the listening connection fails or drops, how long to read through before trying again. */
  retryMs?: number;
  onListenError?: (err: unknown) => void;
}

interface Entry<V> {
  value: V;
  until: number;
}

/**
 * A per-process read cache that is trusted only while this process LISTENs on the channel its rows'
 * triggers NOTIFY (migration 0016): a change anywhere (another API process, a worker, psql) clears
 * every process's cache at the commit that made it, and the process that made it clears its own
 * at once (`invalidate`). Without a live listener (the edge, a lost connection) every read goes to
 * the database, so a dropped LISTEN connection never leaves stale rights in force.
 *
 * A read that was in flight when a notification arrived is returned to its caller (it began before
 * the change committed, as an uncached read would have) but not kept.
 */
export class NotifiedCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private generation = 0;
  private state: "off" | "starting" | "on" = "off";
  private retryAt = 0;
  private stop: (() => Promise<void>) | null = null;

  constructor(
    private readonly database: Pick<Database, "listen">,
    private readonly opts: NotifiedCacheOptions,
  ) {}

  /**
   * The cached value for `key`, else `load()`'s, kept unless it is undefined (misses are not cached)
   * or `keep` says no.
   */
  async get(
    key: string,
    load: () => Promise<V | undefined>,
    keep?: (value: V) => boolean,
  ): Promise<V | undefined> {
    const now = Date.now();
    if (this.state === "on") {
      const hit = this.entries.get(key);
      if (hit && hit.until > now) return hit.value;
      if (hit) this.entries.delete(key);
    } else if (this.state === "off" && now >= this.retryAt) {
      void this.startListening();
    }
    const generation = this.generation;
    const value = await load();
    if (
      value !== undefined &&
      this.state === "on" &&
      generation === this.generation &&
      (keep?.(value) ?? true)
    ) {
      if (this.entries.size >= this.opts.max) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(key, { value, until: now + this.opts.ttlMs });
    }
    return value;
  }

  /** Drops every entry, and the reads in flight. Call after changing what the cache holds. */
  invalidate(): void {
    this.generation++;
    this.entries.clear();
  }

  /** Entries held (tests and metrics). */
  get size(): number {
    return this.entries.size;
  }

  /** True while the cache is in use (the process is listening). */
  get active(): boolean {
    return this.state === "on";
  }

  async close(): Promise<void> {
    this.state = "off";
    this.retryAt = Number.POSITIVE_INFINITY;
    this.invalidate();
    const stop = this.stop;
    this.stop = null;
    await stop?.().catch(() => {});
  }

  private async startListening(): Promise<void> {
    const listen = this.database.listen;
    if (!listen) {
      this.retryAt = Number.POSITIVE_INFINITY;
      return;
    }
    this.state = "starting";
    try {
      const stop = await listen.call(
        this.database,
        this.opts.channel,
        () => this.invalidate(),
        () => this.lost(),
      );
      if (this.state !== "starting") {
        // Lost or closed while connecting.
        await stop().catch(() => {});
        return;
      }
      this.stop = stop;
      // Changes committed before LISTEN took effect were never notified: nothing read before now is kept.
      this.invalidate();
      this.state = "on";
    } catch (err) {
      this.lost();
      this.opts.onListenError?.(err);
    }
  }

  private lost(): void {
    if (this.retryAt === Number.POSITIVE_INFINITY) return;
    this.state = "off";
    this.invalidate();
    this.retryAt = Date.now() + (this.opts.retryMs ?? 5_000);
    const stop = this.stop;
    this.stop = null;
    void stop?.().catch(() => {});
  }
}

/**
 * One NotifiedCache per database object (each process has one; tests open several), created on
 * first use. `READ_CACHE_SECONDS=0` turns every such cache off (`of` returns null).
 */
export function notifiedCachePerDatabase<V>(opts: { channel: string; max: number; what: string }) {
  const caches = new WeakMap<object, NotifiedCache<V>>();
  const of = (deps: Pick<AppDeps, "database" | "logger" | "config">): NotifiedCache<V> | null => {
    if (deps.config.READ_CACHE_SECONDS === 0) return null;
    let cache = caches.get(deps.database);
    if (!cache) {
      cache = new NotifiedCache<V>(deps.database, {
        channel: opts.channel,
        ttlMs: deps.config.READ_CACHE_SECONDS * 1000,
        max: opts.max,
        onListenError: (err) =>
          deps.logger.warn(
            { err },
            `could not LISTEN on ${opts.channel}; ${opts.what} are read on every request`,
          ),
      });
      caches.set(deps.database, cache);
    }
    return cache;
  };
  return {
    of,
    /**
     * `load()` through this database's cache (`get`), or straight to `load()` when the caches are
     * off: the one way callers read, so none of them branches on the setting.
     */
    async read<T extends V | undefined>(
      deps: Pick<AppDeps, "database" | "logger" | "config">,
      key: string,
      load: () => Promise<T>,
      keep?: (value: V) => boolean,
    ): Promise<T> {
      const cache = of(deps);
      return cache ? ((await cache.get(key, load, keep)) as T) : load();
    },
    /**
     * Call after this process changed what the cache holds, once the change has committed: its own
     * cache drops at once, without waiting for its notification to come back.
     */
    changed(deps: Pick<AppDeps, "database">): void {
      caches.get(deps.database)?.invalidate();
    },
  };
}
