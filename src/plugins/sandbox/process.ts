import { type ChildProcess, fork } from "node:child_process";
import { readFile, realpath } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { PluginError } from "../../services/errors.js";
import { declaredHosts, hostAllowed, type PluginManifest } from "../manifest.js";
import type { FromSandbox, ToSandbox } from "../messages.js";
import { type Lookup, privateHostReason } from "./address-policy.js";

// A function, not a constant: on the edge import.meta.url is not a file URL; the module is imported
// there with the routes, but plugins never run on the edge.
const childPath = () => fileURLToPath(new URL("./child.mjs", import.meta.url));
/** A fetch answer larger than this fails the plugin's fetch (it travels over IPC as base64). */
const MAX_FETCH_BYTES = 32 * 1024 * 1024;

export interface SandboxOptions {
  /** The fetch the host performs for the plugin (tests and the edge pass their own). */
  fetch?: typeof fetch;
  log?: (plugin: string, message: string) => void;
  /** Caps the manifest's own limits (the operator's word wins). */
  maxTimeMs?: number;
  maxMemoryMb?: number;
  /**
   * Plugins (connectors, the webhook post-processor, any plugin's `host.fetch`) fetch only from public
   * addresses, the URL's host and every address it resolves to (each redirect too), unless this is
   * true: PLUGIN_ALLOW_PRIVATE_HOSTS, set by the runtime; refused by default.
   */
  allowPrivateHosts?: boolean;
  /** Resolves names for that check (tests); the system resolver by default. */
  lookup?: Lookup;
}

interface Pending {
  resolve(v: unknown): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
  /** Set when the host refused a call of the plugin: the call fails with that, whatever the plugin does. */
  denied?: string;
}

/**
 * One sandbox process of a plugin: a child process under Node's permission model with a V8 heap cap,
 * started on first use, one call at a time, each under a kill timer. Whatever happens inside (a loop, a
 * runaway allocation, a crash), the host sees a PluginError with a clear code and the next call starts
 * a new process. Network and file access go through `hostCall`, checked against the manifest. A
 * plugin's calls are spread over a small pool of these (pool.ts).
 */
export class SandboxProcess {
  private child: ChildProcess | null = null;
  private ready: Promise<void> | null = null;
  private pending = new Map<number, Pending>();
  private nextId = 1;
  private queue: Promise<unknown> = Promise.resolve();
  private stderr = "";
  private abortStart: ((err: Error) => void) | null = null;
  /** Counts close() calls, so calls queued before one fail instead of starting a process. */
  private closes = 0;
  /** The configuration of the call in flight (calls are serialized), for `$config.` network grants. */
  private callConfig: Record<string, unknown> = {};

  constructor(
    readonly dir: string,
    readonly manifest: PluginManifest,
    private readonly opts: SandboxOptions = {},
  ) {}

  get label() {
    return `${this.manifest.id}@${this.manifest.version}`;
  }

  private get timeMs() {
    return Math.min(this.manifest.limits.timeMs, this.opts.maxTimeMs ?? Number.POSITIVE_INFINITY);
  }

  private get memoryMb() {
    return Math.min(this.manifest.limits.memoryMb, this.opts.maxMemoryMb ?? Number.POSITIVE_INFINITY);
  }

  /** Runs one operation; calls to one process queue so a hang is charged to the call that hung. */
  call(op: string, input: unknown, config: Record<string, unknown> = {}): Promise<unknown> {
    const closes = this.closes;
    const run = this.queue.then(() => this.callNow(op, input, config, closes));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async callNow(
    op: string,
    input: unknown,
    config: Record<string, unknown>,
    closes: number,
  ): Promise<unknown> {
    // A call made before close() must not start a new process after it (a stopping host would leak it).
    if (closes !== this.closes) throw this.stopped();
    await this.start();
    const child = this.child;
    if (closes !== this.closes || !child) throw this.stopped();
    this.callConfig = config;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail("plugin_timeout", `the call ${op} took longer than ${this.timeMs} ms and was stopped`);
      }, this.timeMs);
      this.pending.set(id, { resolve, reject, timer });
      child.send({ t: "call", id, op, input, config } satisfies ToSandbox);
    });
  }

  private start(): Promise<void> {
    if (this.ready) return this.ready;
    this.stderr = "";
    const dir = this.dir;
    const { main, permissions } = this.manifest;
    const CHILD = childPath();
    const child = fork(
      CHILD,
      [JSON.stringify({ dir, main, hostCalls: permissions.hostCalls, files: permissions.files })],
      {
        cwd: dir,
        // Nothing of the host's environment (secrets live there); the host's loaders are not inherited.
        env: { NODE_ENV: "production" },
        execArgv: [
          "--permission",
          `--allow-fs-read=${dir}`,
          `--allow-fs-read=${CHILD}`,
          `--max-old-space-size=${this.memoryMb}`,
          `--max-semi-space-size=${Math.max(1, Math.floor(this.memoryMb / 16))}`,
          "--disable-warning=ExperimentalWarning",
        ],
        stdio: ["ignore", "ignore", "pipe", "ipc"],
        serialization: "json",
      },
    );
    this.child = child;
    child.stderr?.on("data", (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-4000);
    });
    this.ready = new Promise<void>((resolve, reject) => {
      const startTimer = setTimeout(
        () => this.fail("plugin_timeout", "the sandbox did not start in time"),
        Math.max(this.timeMs, 5000),
      );
      // A process stopped while starting (timeout, crash, close) fails the calls waiting for it.
      this.abortStart = (err) => {
        clearTimeout(startTimer);
        reject(err);
      };
      child.on("message", (m: FromSandbox) => {
        if (m.t === "ready") {
          clearTimeout(startTimer);
          this.abortStart = null;
          resolve();
        } else this.onMessage(m);
      });
      child.on("exit", (code, signal) => {
        clearTimeout(startTimer);
        if (this.child !== child) return;
        const oom = /heap out of memory|Reached heap limit|allocation failed/i.test(this.stderr);
        const why = oom ? "plugin_memory" : "plugin_crashed";
        const message = oom
          ? `it ran out of its ${this.memoryMb} MB of memory and was stopped`
          : `its process exited (${signal ?? `code ${code}`}) ${this.stderr.trim().split("\n").slice(-3).join(" | ").slice(0, 300)}`;
        this.fail(why, message);
      });
    });
    return this.ready;
  }

  /** Fails every pending call with one code and drops the process; the next call starts afresh. */
  private fail(code: ConstructorParameters<typeof PluginError>[0], message: string) {
    const child = this.child;
    this.child = null;
    this.ready = null;
    child?.kill("SIGKILL");
    this.abortStart?.(new PluginError(code, this.label, message));
    this.abortStart = null;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(id);
      p.reject(
        new PluginError(p.denied ? "plugin_permission_denied" : code, this.label, p.denied ?? message),
      );
    }
  }

  private onMessage(m: FromSandbox) {
    if (m.t === "host-call") {
      void this.onHostCall(m.id, m.call, m.args);
      return;
    }
    if (m.t !== "result") return;
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    clearTimeout(p.timer);
    if (p.denied) p.reject(new PluginError("plugin_permission_denied", this.label, p.denied));
    else if (m.ok) p.resolve(m.value);
    else if (m.code === "plugin_permission_denied") {
      p.reject(new PluginError("plugin_permission_denied", this.label, m.message));
    } else p.reject(new PluginError("plugin_crashed", this.label, `the call failed: ${m.message}`));
  }

  private async onHostCall(id: number, call: string, args: unknown[]) {
    if (call === "denied") {
      for (const p of this.pending.values()) p.denied ??= String(args[0]);
      return;
    }
    const reply = (msg: ToSandbox) => this.child?.connected && this.child.send(msg);
    try {
      const value = await this.hostCall(call, args);
      if (id) reply({ t: "host-result", id, ok: true, value });
    } catch (err) {
      const message = (err as Error).message;
      if ((err as PluginError).code === "plugin_permission_denied") {
        // Charge the refusal to the call in flight: a plugin cannot swallow it and carry on.
        for (const p of this.pending.values()) p.denied ??= message;
      }
      if (id) reply({ t: "host-result", id, ok: false, code: (err as PluginError).code ?? "error", message });
    }
  }

  private deny(message: string): never {
    throw new PluginError("plugin_permission_denied", this.label, message);
  }

  private async hostCall(call: string, args: unknown[]): Promise<unknown> {
    const { permissions } = this.manifest;
    if (!permissions.hostCalls.includes(call as never)) this.deny(`the host call ${call} was not declared`);
    if (call === "log") {
      this.opts.log?.(this.label, String(args[0]).slice(0, 2000));
      return null;
    }
    if (call === "readFile") {
      if (permissions.files !== "own") this.deny("file access was not declared");
      const root = await realpath(this.dir);
      const target = await realpath(`${root}/${String(args[0])}`).catch(() =>
        this.deny(`no file ${args[0]}`),
      );
      if (!target.startsWith(`${root}/`)) this.deny(`${args[0]} is outside the plugin's folder`);
      return (await readFile(target)).toString("base64");
    }
    if (call === "fetch") return this.fetchFor(String(args[0]), (args[1] ?? {}) as RequestInit);
    this.deny(`unknown host call ${call}`);
  }

  private async fetchFor(raw: string, init: RequestInit) {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      this.deny(`${raw} is not a URL`);
    }
    if (!/^https?:$/.test(url.protocol)) this.deny(`${url.protocol} URLs are not fetched for plugins`);
    const hosts = declaredHosts(this.manifest.permissions.network, this.callConfig);
    if (!hostAllowed(hosts, url)) this.deny(`the host ${url.host} was not declared`);
    await this.checkReach(url);
    const doFetch = this.opts.fetch ?? fetch;
    // Redirects are followed by hand so a declared host cannot bounce the plugin to an undeclared one.
    let current = url;
    for (let hop = 0; hop < 5; hop++) {
      const res = await doFetch(current, {
        ...init,
        redirect: "manual",
        signal: AbortSignal.timeout(this.timeMs),
      });
      const location = res.headers.get("location");
      if (res.status >= 300 && res.status < 400 && location) {
        current = new URL(location, current);
        if (!hostAllowed(hosts, current)) {
          this.deny(`a redirect led to the undeclared host ${current.host}`);
        }
        await this.checkReach(current);
        continue;
      }
      const body = Buffer.from(await res.arrayBuffer());
      if (body.length > MAX_FETCH_BYTES) throw new Error(`the answer of ${current} is larger than 32 MB`);
      return {
        status: res.status,
        url: current.href,
        headers: Object.fromEntries(res.headers),
        body: body.toString("base64"),
      };
    }
    throw new Error(`too many redirects from ${url}`);
  }

  /**
   * A plugin's fetch must reach a public address unless the operator allowed private ones: any kind
   * fetches from hosts an organization's administrator configures (a connector's source, a webhook's
   * URL). The name is resolved here and again by the fetch, so a name whose records change between
   * the two (DNS rebinding) is not covered: restrict egress at the network level where that matters.
   */
  private async checkReach(url: URL) {
    if (this.opts.allowPrivateHosts) return;
    const reason = await privateHostReason(url, this.opts.lookup);
    if (reason) {
      this.deny(
        `plugins fetch only from public addresses, and ${reason} (an operator may allow private hosts with PLUGIN_ALLOW_PRIVATE_HOSTS=true)`,
      );
    }
  }

  /** Whether a process is running or starting (a warm member is preferred by the pool). */
  get started(): boolean {
    return this.child !== null;
  }

  /**
   * Stops the process (shutdown). A call in flight fails at once with plugin_crashed rather than
   * waiting for its kill timer, which would also keep a stopping host alive.
   */
  close() {
    this.closes++;
    this.fail("plugin_crashed", "the host stopped its sandbox");
  }

  private stopped() {
    return new PluginError("plugin_crashed", this.label, "the host stopped its sandbox");
  }
}
