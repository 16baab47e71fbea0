import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server, type Socket, connect as tcpConnect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { PLATFORM_KEY } from "./app.js";
import { TEST_DATABASE_URL } from "./database.js";
import { type Spawned, spawnProcess } from "./process.js";

const REPO = new URL("../../", import.meta.url).pathname;

/**
 * The entry of each process the production profile runs, in one place: if an entry moves (say the
 * worker to src/worker.ts) only this line changes. They run as `npm start`, `npm run worker` and
 * `npm run engine` run them (node --import tsx <entry>), without npm in between so a signal reaches
 * the process itself.
 */
export const ENTRIES = {
  api: "src/server.ts",
  worker: "src/worker.ts",
  engine: "src/vector/engine/main.ts",
} as const;

/**
 * CLUSTER_BUILT=1 runs the compiled entries (`npm run build`, then dist/src/*.js with plain node, as
 * `npm run start:prod` does), so a benchmark measures what production runs rather than tsx's loader.
 */
function entryArgs(role: keyof typeof ENTRIES): string[] {
  const flags = NODE_FLAGS[role];
  if (!process.env.CLUSTER_BUILT) return [...flags, "--import", "tsx", ENTRIES[role]];
  const built = join("dist", ENTRIES[role].replace(/\.ts$/, ".js"));
  if (!existsSync(join(REPO, built)))
    throw new Error(`CLUSTER_BUILT is set but ${built} is missing: run npm run build`);
  return [...flags, built];
}

/**
 * Node's flags for each role, as `npm start`, `npm run worker` and `npm run engine` give them
 * (package.json is the one place they are set).
 */
const SCRIPTS = (
  JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { scripts: Record<string, string> }
).scripts;
const flagsOf = (script: string) =>
  SCRIPTS[script]!.split(" ").filter((t) => t.startsWith("--") && t !== "--import");
const NODE_FLAGS: Record<keyof typeof ENTRIES, string[]> = {
  api: flagsOf("start"),
  worker: flagsOf("worker"),
  engine: flagsOf("engine"),
};

/** A port nothing listens on right now (the OS picks it; it is closed again at once). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export function spawnEntry(role: keyof typeof ENTRIES, env: Record<string, string>): Spawned {
  // CLUSTER_CPU_PROF=DIR: each process writes a V8 CPU profile there when it exits (finding what an ask costs).
  const prof = process.env.CLUSTER_CPU_PROF
    ? [
        "--cpu-prof",
        `--cpu-prof-dir=${process.env.CLUSTER_CPU_PROF}`,
        `--cpu-prof-name=${role}-\${pid}.cpuprofile`,
      ]
    : [];
  // CLUSTER_NODE_FLAGS_API / _WORKER / _ENGINE: extra Node flags for that role only (say --trace-gc).
  const extra = process.env[`CLUSTER_NODE_FLAGS_${role.toUpperCase()}`]?.split(" ").filter(Boolean) ?? [];
  return spawnProcess(
    process.execPath,
    [...prof, ...extra, ...entryArgs(role)],
    { ...process.env, ...env },
    REPO,
  );
}

/** SIGKILL, or SIGTERM with a SIGKILL after `graceMs`; resolves once the process is gone. */
export async function stop(p: Spawned | undefined, signal: NodeJS.Signals = "SIGTERM", graceMs = 10_000) {
  if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill(signal);
  const timer = setTimeout(() => p.child.kill("SIGKILL"), graceMs);
  await p.exited;
  clearTimeout(timer);
}

/**
 * A TCP proxy in front of PostgreSQL: `cut()` drops every connection and refuses new ones, as a server
 * restart does to its clients; `restore()` listens again on the same port. The machine's PostgreSQL is
 * shared with other tests, so the restart is simulated here rather than done to the server.
 */
export class TcpProxy {
  private server: Server | null = null;
  private sockets = new Set<Socket>();
  constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}
  async start(): Promise<void> {
    const server = createServer((client) => {
      const upstream = tcpConnect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on("close", () => this.sockets.delete(s));
        s.on("error", () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, "127.0.0.1", () => resolve());
    });
    this.server = server;
  }
  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  restore = () => this.start();
}

export interface ClusterOptions {
  apis?: number;
  workers?: number;
  /** Extra environment for every API process and worker (models, lock times, ...). */
  env?: Record<string, string>;
  /** Start a redis-server of the cluster's own (it can be restarted); else the machine's Redis. */
  ownRedis?: boolean;
  /**
   * Processes connect to PostgreSQL itself rather than through `pgProxy` (which then cuts nothing):
   * for benchmarks, where the proxy's copying would count against the process that hosts it.
   */
  directDatabase?: boolean;
}

export interface Cluster {
  apis: Spawned[];
  apiUrls: string[];
  workers: Spawned[];
  engine: Spawned;
  /** The engine's base URL (it stands in for Qdrant). */
  engineUrl: string;
  redis: Spawned | null;
  pgProxy: TcpProxy;
  schema: string;
  prefix: string;
  redisUrl: string;
  /** Starts (again) API process `i` on its port. */
  startApi(i: number): Promise<Spawned>;
  startWorker(i: number): Promise<Spawned>;
  /** Starts (again) the engine on its port and data folder. */
  startEngine(): Promise<Spawned>;
  /** Starts (again) the cluster's own redis-server on its port (empty: it keeps nothing on disk). */
  startRedis(): Promise<Spawned>;
  /** Everything the processes printed, for a failing test's message. */
  logs(): string;
  close(): Promise<void>;
}

/**
 * The production profile as local processes: `apis` API processes and `workers` ingestion workers
 * against PostgreSQL (a schema of their own, behind a TCP proxy), Redis (a queue prefix of their own,
 * or a redis-server of their own) and the embedded engine run alone (`npm run engine`) standing in for
 * Qdrant. Ports are fixed per cluster, so a restarted process comes back where clients expect it.
 */
export async function startCluster(opts: ClusterOptions = {}): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), "aihub-cluster-"));
  const schema = `fault_${randomBytes(5).toString("hex")}`;
  const prefix = `fault-${randomBytes(5).toString("hex")}`;
  const pgUrl = new URL(TEST_DATABASE_URL);
  const pgProxy = new TcpProxy(await freePort(), {
    host: pgUrl.hostname,
    port: Number(pgUrl.port || 5432),
  });
  await pgProxy.start();
  const proxied = new URL(TEST_DATABASE_URL);
  proxied.host = `127.0.0.1:${pgProxy.port}`;
  const enginePort = await freePort();
  const redisPort = opts.ownRedis ? await freePort() : null;
  const redisUrl = redisPort
    ? `redis://127.0.0.1:${redisPort}`
    : (process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379");
  const apiPorts = await Promise.all(Array.from({ length: opts.apis ?? 2 }, () => freePort()));
  const everything: Spawned[] = [];
  const track = (p: Spawned) => {
    everything.push(p);
    return p;
  };
  const common = {
    DATABASE_URL: opts.directDatabase ? TEST_DATABASE_URL : proxied.toString(),
    DATABASE_SCHEMA: schema,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: prefix,
    QDRANT_URL: `http://127.0.0.1:${enginePort}`,
    ADMIN_API_KEY: PLATFORM_KEY,
    LOG_LEVEL: "warn",
    NODE_ENV: "production",
    SHUTDOWN_TIMEOUT_MS: "5000",
    ...opts.env,
  };

  const cluster: Cluster = {
    apis: [],
    apiUrls: apiPorts.map((p) => `http://127.0.0.1:${p}`),
    workers: [],
    engine: null as unknown as Spawned,
    engineUrl: `http://127.0.0.1:${enginePort}`,
    redis: null,
    pgProxy,
    schema,
    prefix,
    redisUrl,
    async startEngine() {
      const engine = track(
        spawnEntry("engine", { ENGINE_PORT: String(enginePort), ENGINE_DATA_DIR: join(dir, "vectors") }),
      );
      await engine.waitFor(/vector engine listening/, 60_000);
      cluster.engine = engine;
      return engine;
    },
    async startRedis() {
      const redis = track(
        spawnProcess(
          "redis-server",
          ["--port", String(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
          { PATH: process.env.PATH },
          dir,
        ),
      );
      await redis.waitFor(/Ready to accept connections/, 20_000);
      cluster.redis = redis;
      return redis;
    },
    async startApi(i) {
      const api = track(
        spawnEntry("api", {
          ...common,
          PORT: String(apiPorts[i]),
          HOST: "127.0.0.1",
          DATA_DIR: join(dir, `api-${i}`),
        }),
      );
      await api.waitFor(/AI Hub listening on/, 120_000);
      cluster.apis[i] = api;
      return api;
    },
    async startWorker(i) {
      const worker = track(spawnEntry("worker", { ...common, DATA_DIR: join(dir, `worker-${i}`) }));
      await worker.waitFor(/ingest worker ready/, 120_000);
      cluster.workers[i] = worker;
      return worker;
    },
    logs: () => everything.map((p, i) => `--- process ${i} ---\n${p.output().slice(-4000)}`).join("\n"),
    async close() {
      await Promise.all(everything.map((p) => stop(p, "SIGTERM", 5_000)));
      await pgProxy.cut();
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      await client.query(`drop schema if exists "${schema}" cascade`);
      await client.end();
      if (!redisPort) {
        const { obliterate } = await import("./ingest.js");
        await obliterate(prefix);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await Promise.all([cluster.startEngine(), redisPort ? cluster.startRedis() : null]);
    // The first API process migrates the schema; the others and the workers start once it has.
    await cluster.startApi(0);
    await Promise.all([
      ...apiPorts.slice(1).map((_, i) => cluster.startApi(i + 1)),
      ...Array.from({ length: opts.workers ?? 2 }, (_, i) => cluster.startWorker(i)),
    ]);
  } catch (err) {
    const logs = cluster.logs();
    await cluster.close().catch(() => {});
    throw new Error(`${(err as Error).message}\n${logs}`);
  }
  return cluster;
}

/** Polls `fn` until it returns a value that is not undefined, or throws after `ms`. */
export async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
