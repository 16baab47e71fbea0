import { PluginError } from "../../services/errors.js";
import type { PluginManifest } from "../manifest.js";
import { type SandboxOptions, SandboxProcess } from "./process.js";

/**
 * Who waits for a call. `interactive`: a person is waiting (ask, search: query expansion, reranking,
 * post-processing, chat, query embedding). `background`: ingestion and connectors (loaders, text
 * filters, embedding chunks, connector listing and fetching), which may take minutes.
 */
export type PluginLane = "interactive" | "background";

export interface PoolOptions extends SandboxOptions {
  /** Sandbox processes per plugin version (PLUGIN_POOL_SIZE); default 2. */
  poolSize?: number;
}

interface Waiter {
  lane: PluginLane;
  grant(member: SandboxProcess): void;
  reject(err: Error): void;
}

/**
 * One plugin version's sandboxes: up to `poolSize` processes (each with the manifest's memory and time
 * limits, started on first need), one call per process at a time. Background calls may hold all but
 * one of them, so a search never waits behind ingestion of the same plugin (with a pool of 1, calls
 * share the one process as before, interactive ones served first). A member that times out or crashes
 * fails only its own call and starts afresh on its next one.
 */
export class PluginSandbox {
  private members: SandboxProcess[] = [];
  private busy = new Map<SandboxProcess, PluginLane>();
  private waiting: Waiter[] = [];
  private closes = 0;

  constructor(
    readonly dir: string,
    readonly manifest: PluginManifest,
    private readonly opts: PoolOptions = {},
  ) {}

  get label() {
    return `${this.manifest.id}@${this.manifest.version}`;
  }

  get size(): number {
    return Math.max(1, this.opts.poolSize ?? 2);
  }

  /** Processes running or starting (tests, metrics). */
  get running(): number {
    return this.members.filter((m) => m.started).length;
  }

  /** Calls holding a process, and calls waiting for one. */
  get load(): { busy: number; waiting: number } {
    return { busy: this.busy.size, waiting: this.waiting.length };
  }

  /** Runs one operation in a free member of the pool; waits for one when the lane's share is busy. */
  async call(
    op: string,
    input: unknown,
    config: Record<string, unknown> = {},
    lane: PluginLane = "interactive",
  ): Promise<unknown> {
    const closes = this.closes;
    const member = await this.acquire(lane);
    // Granted just before a close: the member was stopped before the call reached it.
    if (closes !== this.closes) {
      this.release(member);
      throw this.stopped();
    }
    try {
      return await member.call(op, input, config);
    } finally {
      this.release(member);
    }
  }

  private mayStart(lane: PluginLane): boolean {
    if (this.busy.size >= this.size) return false;
    if (lane === "interactive" || this.size === 1) return true;
    const background = [...this.busy.values()].filter((l) => l === "background").length;
    return background < this.size - 1;
  }

  private acquire(lane: PluginLane): Promise<SandboxProcess> {
    // Interactive calls overtake waiting background ones; each lane stays first come, first served.
    const queued = this.waiting.some((w) => w.lane === lane || w.lane === "interactive");
    if (!queued && this.mayStart(lane)) return Promise.resolve(this.take(lane));
    return new Promise((grant, reject) => this.waiting.push({ lane, grant, reject }));
  }

  /** A free member, a warm one first (a cold one pays the process start). */
  private take(lane: PluginLane): SandboxProcess {
    const free = this.members.filter((m) => !this.busy.has(m));
    let member = free.find((m) => m.started) ?? free[0];
    if (!member) {
      member = new SandboxProcess(this.dir, this.manifest, this.opts);
      this.members.push(member);
    }
    this.busy.set(member, lane);
    return member;
  }

  private release(member: SandboxProcess) {
    this.busy.delete(member);
    for (const lane of ["interactive", "background"] as const) {
      for (;;) {
        const i = this.waiting.findIndex((w) => w.lane === lane);
        if (i < 0 || !this.mayStart(lane)) break;
        const [w] = this.waiting.splice(i, 1);
        w!.grant(this.take(lane));
      }
    }
  }

  private stopped() {
    return new PluginError("plugin_crashed", this.label, "the host stopped its sandbox");
  }

  /** Stops every process (shutdown); calls in flight and waiting fail with plugin_crashed. */
  close() {
    this.closes++;
    const waiting = this.waiting;
    this.waiting = [];
    for (const w of waiting) w.reject(this.stopped());
    for (const m of this.members) m.close();
    this.members = [];
    this.busy.clear();
  }
}
