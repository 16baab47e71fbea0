import { execFile, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { copyFile, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config.js";
import { nodeVersionProblem } from "../../src/node-check.js";
import { apiRunsPipeline } from "../../src/runtime/ingestion.js";
import { interpolate, readComposeFile } from "../helpers/compose-file.js";
import { TEST_DATABASE_URL } from "../helpers/database.js";
import { hubClient } from "../helpers/http-client.js";
import { fixture, obliterate, TEST_REDIS_URL } from "../helpers/ingest.js";
import { portOpen, type Spawned, spawnProcess } from "../helpers/process.js";

/**
 * The production install (README "Production install"), for real: `npm run build` into a folder laid
 * out as the Docker image's /app (package.json, node_modules, dist), then the compiled entries under
 * plain `node`, without tsx (no --import, NODE_OPTIONS cleared).
 * 1. The embedded profile, under a resolve hook (test/helpers/prod-only-hook.mjs) that throws if
 *    anything outside the `npm ci --omit=dev` tree, or any devDependency by name, is loaded: a PDF and
 *    a DOCX get ready, search and ask answer, /docs, /widget.js and the console answer 200.
 * 2. compose.yaml's api and worker services, with their own commands and environment, as local
 *    processes: an upload through api-1 is processed by the workers and found through api-2.
 * 3. Debian's Node 20 running a compiled entry stops with the version message.
 */
const REPO = new URL("../../", import.meta.url).pathname;
const SYSTEM_NODE = "/usr/bin/node";
const PLATFORM_KEY = `platform_${randomBytes(12).toString("hex")}`;

let app = "";
const running: Spawned[] = [];

/** Service settings a developer's shell may hold; each test sets its own. */
const SETTINGS = new Set([
  "DATABASE_URL",
  "REDIS_URL",
  "QDRANT_URL",
  "DATA_DIR",
  "PORT",
  "PUBLIC_URL",
  "CONSOLE_DIR",
]);

/** The parent's environment less anything that would bring tsx or vitest into the child, or settings. */
function plainEnv(extra: Record<string, string>): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (
      SETTINGS.has(k) ||
      k === "NODE_OPTIONS" ||
      k.startsWith("VITEST") ||
      k.startsWith("npm_") ||
      k === "TSX_TSCONFIG_PATH"
    )
      continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

const run = promisify(execFile);

function start(args: string[], env: Record<string, string>): Spawned {
  const p = spawnProcess(process.execPath, args, plainEnv(env), app);
  running.push(p);
  return p;
}

async function stop(p: Spawned): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill("SIGTERM");
  const timer = setTimeout(() => p.child.kill("SIGKILL"), 15_000);
  await p.exited;
  clearTimeout(timer);
}

beforeAll(async () => {
  app = await mkdtemp(join(tmpdir(), "aihub-prod-"));
  await copyFile(join(REPO, "package.json"), join(app, "package.json"));
  await symlink(join(REPO, "node_modules"), join(app, "node_modules"), "dir");
  // Asynchronously: the build takes about a minute on a loaded machine, and a worker whose event loop
  // is blocked that long misses vitest's own 60-second RPC deadline ("Timeout calling onTaskUpdate").
  await run(process.execPath, ["--import", "tsx", "src/build/production.ts", "--out", join(app, "dist")], {
    cwd: REPO,
    maxBuffer: 64 * 1024 * 1024,
  });
  // What `npm ci --omit=dev` installs: every package folder of the production tree.
  const prod = await run("npm", ["ls", "--omit=dev", "--all", "--parseable"], {
    cwd: REPO,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  await writeFile(join(app, "prod-packages.txt"), prod.stdout);
}, 240_000);

afterAll(async () => {
  await Promise.all(running.map(stop));
  if (app) await rm(app, { recursive: true, force: true });
});

describe("production build under plain node", () => {
  it("compiles the entries, the migrations, the console and the widget into dist", () => {
    for (const f of [
      "dist/src/server.js",
      "dist/src/worker.js",
      "dist/src/vector/engine/main.js",
      "dist/ingest/parsers/parse-worker.js",
      "dist/ingest/parsers/pdf-worker.js",
      "dist/src/db/migrations/meta/_journal.json",
      "dist/src/db/migrations/0000_init.sql",
      "dist/src/models/catalog/catalog.json",
      "dist/console/index.html",
      "dist/widget.js",
    ]) {
      expect(existsSync(join(app, f)), f).toBe(true);
    }
  });

  it("the resolve hook refuses a devDependency by name and any package outside the production tree", async () => {
    await writeFile(join(app, "dist/probe-dev.js"), 'await import("vite");\n');
    await writeFile(join(app, "probe-outside.js"), 'await import("smtp-server");\n');
    const hookEnv = plainEnv({
      AIHUB_PROD_PACKAGES: join(app, "prod-packages.txt"),
      AIHUB_OWN_CODE: join(app, "dist"),
      AIHUB_PACKAGE_JSON: join(app, "package.json"),
    });
    const hook = join(REPO, "test/helpers/prod-only-hook.mjs");
    const dev = spawnSync(process.execPath, ["--import", hook, "dist/probe-dev.js"], {
      cwd: app,
      env: hookEnv,
      encoding: "utf8",
    });
    expect(dev.stderr).toMatch(/devDependency imported at run time: "vite"/);
    const outside = spawnSync(process.execPath, ["--import", hook, "probe-outside.js"], {
      cwd: app,
      env: hookEnv,
      encoding: "utf8",
    });
    expect(outside.stderr).toMatch(/outside the production install loaded: .*node_modules\/smtp-server/);
    await rm(join(app, "dist/probe-dev.js"));
  });

  it("embedded profile: PDF and DOCX ready, search, ask, /docs and /widget.js, loading no devDependency", async () => {
    const server = start(["--import", join(REPO, "test/helpers/prod-only-hook.mjs"), "dist/src/server.js"], {
      AIHUB_PROD_PACKAGES: join(app, "prod-packages.txt"),
      AIHUB_OWN_CODE: join(app, "dist"),
      AIHUB_PACKAGE_JSON: join(app, "package.json"),
      DATA_DIR: join(app, "data"),
      PORT: "0",
      HOST: "127.0.0.1",
      ADMIN_API_KEY: PLATFORM_KEY,
      LOG_LEVEL: "warn",
      NODE_ENV: "production",
    });
    const [, port] = await server.waitFor(/listening on http:\/\/localhost:(\d+)/, 90_000);
    const hub = hubClient(`http://127.0.0.1:${port}`);
    const { key, kbId } = await hub.tenantWithKb(PLATFORM_KEY);

    const pdf = await hub.upload(key, kbId, {
      bytes: await fixture("pdf/pdfjs_tracemonkey.pdf"),
      name: "tracemonkey.pdf",
    });
    const docx = await hub.upload(key, kbId, {
      bytes: await fixture("docx/tika_testWORD.docx"),
      name: "testWORD.docx",
    });
    expect([pdf.status, docx.status]).toEqual([202, 202]);
    const [pdfDoc, docxDoc] = await Promise.all([
      hub.waitForTerminal(key, pdf.body.id, 90_000),
      hub.waitForTerminal(key, docx.body.id, 90_000),
    ]);
    expect([pdfDoc.status, docxDoc.status], JSON.stringify([pdfDoc, docxDoc])).toEqual(["ready", "ready"]);

    const search = await hub.call("POST", "/v1/search", {
      key,
      body: { query: "trace trees", knowledge_base_ids: [kbId], top_k: 5 },
    });
    expect(search.status).toBe(200);
    const hits = JSON.stringify(search.body);
    expect(hits).toContain(pdf.body.id);

    const ask = await hub.call("POST", "/v1/ask", {
      key,
      body: { question: "What is a trace tree?", knowledge_base_ids: [kbId], stream: false },
    });
    expect(ask.status, JSON.stringify(ask.body)).toBe(200);
    expect(JSON.stringify(ask.body)).toContain(pdf.body.id);

    for (const path of ["/docs", "/widget.js", "/", "/healthz"]) {
      const res = await fetch(`http://127.0.0.1:${port}${path}`);
      expect(res.status, path).toBe(200);
      if (path === "/widget.js") expect((await res.text()).length).toBeGreaterThan(1000);
      else await res.arrayBuffer();
    }
    expect(server.output()).not.toMatch(/devDependency imported|outside the production install/);
    await stop(server);
    expect(server.output()).not.toMatch(/outside the production install|devDependency imported/);
  }, 150_000);

  it("compose.yaml's api and worker services, run as local processes: upload through api-1, ready and found through api-2", async () => {
    const compose = readComposeFile();
    const schema = `compose_${randomBytes(5).toString("hex")}`;
    const prefix = `compose-${randomBytes(5).toString("hex")}`;
    // The engine stands in for the qdrant service.
    const engine = start(["dist/src/vector/engine/main.js"], {
      ENGINE_PORT: "0",
      ENGINE_DATA_DIR: join(app, "compose-vectors"),
    });
    const [, enginePort] = await engine.waitFor(/listening on http:\/\/127\.0\.0\.1:(\d+)/, 30_000);
    const local = new URL(TEST_DATABASE_URL);
    const redis = new URL(TEST_REDIS_URL);
    // Only hosts and ports change (and the database's credentials and name, which the postgres
    // container would create): each service keeps its command and every other variable.
    const hosts: Record<string, (u: URL) => void> = {
      postgres: (u) => {
        u.username = local.username;
        u.password = local.password;
        u.host = local.host;
        u.pathname = local.pathname;
      },
      redis: (u) => {
        u.host = redis.host;
      },
      qdrant: (u) => {
        u.host = `127.0.0.1:${enginePort}`;
      },
    };
    const envOf = (name: string): Record<string, string> => {
      const service = compose.services[name]!;
      const env: Record<string, string> = {};
      for (const [k, raw] of Object.entries(service.environment ?? {})) {
        let v = interpolate(String(raw), { ADMIN_API_KEY: PLATFORM_KEY });
        if (/^[a-z]+:\/\//.test(v)) {
          const u = new URL(v);
          const map = hosts[u.hostname];
          if (map) {
            map(u);
            v = u.toString();
          }
        }
        env[k] = v;
      }
      // A free port and loopback instead of 8080 on every container; a schema and a queue prefix of
      // this test's own on the shared servers.
      if (env.PORT) Object.assign(env, { PORT: "0", HOST: "127.0.0.1" });
      return { ...env, DATABASE_SCHEMA: schema, QUEUE_PREFIX: prefix, LOG_LEVEL: "info" };
    };
    const run = (name: string) => {
      const [command, ...args] = compose.services[name]!.command!;
      expect(command).toBe("node");
      return start(args, envOf(name));
    };
    const listening = async (p: Spawned) =>
      Number((await p.waitFor(/listening on http:\/\/localhost:(\d+)/, 90_000))[1]);

    // With the services' variables, the API processes only enqueue: the workers run the pipeline.
    expect(apiRunsPipeline(parseConfig(envOf("api-1")))).toBe(false);
    try {
      // depends_on: api-2 and the workers wait for api-1 to be healthy (it migrates the database).
      expect(compose.services["api-2"]!.depends_on?.["api-1"]?.condition).toBe("service_healthy");
      const api1 = run("api-1");
      const port1 = await listening(api1);
      expect((await fetch(`http://127.0.0.1:${port1}/readyz`)).status).toBe(200);
      const api2 = run("api-2");
      const workers = [run("worker-1"), run("worker-2")];
      const port2 = await listening(api2);
      await Promise.all(workers.map((w) => w.waitFor(/ingest worker ready/, 90_000)));

      // The health checks, run as the containers would, with the same host and port mapping.
      const check = (name: string, from: string, to: string) => {
        const [kind, command, ...args] = compose.services[name]!.healthcheck!.test!;
        expect([kind, command]).toEqual(["CMD", "node"]);
        const mapped = args.map((a) => a.replaceAll(from, to));
        return spawnSync(process.execPath, mapped, { cwd: app, env: plainEnv({}), encoding: "utf8" }).status;
      };
      expect(check("api-1", "8080", String(port1))).toBe(0);
      expect(check("api-1", "8080", "1")).toBe(1);
      expect(check("worker-1", "6379, 'redis'", `${redis.port || 6379}, '${redis.hostname}'`)).toBe(0);
      const dockerCheck = readFileSync(join(REPO, "Dockerfile"), "utf8").match(
        /CMD \["node", "-e", "(.*)"\]\n/,
      )![1]!;
      const docker = spawnSync(process.execPath, ["-e", dockerCheck], {
        env: plainEnv({ PORT: String(port2) }),
      });
      expect(docker.status).toBe(0);

      const one = hubClient(`http://127.0.0.1:${port1}`);
      const two = hubClient(`http://127.0.0.1:${port2}`);
      const { key, kbId } = await one.tenantWithKb(PLATFORM_KEY);
      const up = await one.upload(key, kbId, {
        bytes: await fixture("docx/tika_testWORD.docx"),
        name: "testWORD.docx",
      });
      expect(up.status).toBe(202);
      const doc = await two.waitForTerminal(key, up.body.id, 90_000);
      expect(doc.status, JSON.stringify(doc)).toBe("ready");
      expect(doc.chunks).toBeGreaterThan(0);
      const search = await two.call("POST", "/v1/search", {
        key,
        body: { query: "Sample Word document", knowledge_base_ids: [kbId], top_k: 3 },
      });
      expect(search.status).toBe(200);
      expect(JSON.stringify(search.body)).toContain(up.body.id);
      await Promise.all([api1, api2, ...workers, engine].map(stop));
      for (const p of [api1, api2, ...workers]) expect(p.child.exitCode, p.output().slice(-2000)).toBe(0);
    } finally {
      await Promise.all(running.map(stop));
      await obliterate(prefix);
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      await client.query(`drop schema if exists "${schema}" cascade`);
      await client.end();
    }
  }, 180_000);

  it("`npm run engine:prod` execs its entry: SIGTERM to npm stops the engine and frees its port", async () => {
    const npm = spawnProcess(
      "npm",
      ["run", "-s", "engine:prod"],
      plainEnv({ ENGINE_PORT: "0", ENGINE_DATA_DIR: join(app, "signal-vectors") }),
      app,
    );
    running.push(npm);
    const port = Number((await npm.waitFor(/listening on http:\/\/127\.0\.0\.1:(\d+)/, 30_000))[1]);
    expect(await portOpen(port)).toBe(true);
    npm.child.kill("SIGTERM");
    await npm.exited;
    const deadline = Date.now() + 10_000;
    while ((await portOpen(port)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await portOpen(port)).toBe(false);
  });

  it("a compiled entry on a Node older than 22.18 stops with the version message", () => {
    expect(existsSync(SYSTEM_NODE), "Debian's nodejs package provides /usr/bin/node").toBe(true);
    const version = spawnSync(SYSTEM_NODE, ["--version"], { encoding: "utf8" }).stdout.trim();
    const problem = nodeVersionProblem(version);
    for (const entry of ["dist/src/server.js", "dist/src/worker.js", "dist/src/vector/engine/main.js"]) {
      const result = spawnSync(SYSTEM_NODE, [entry], {
        cwd: app,
        encoding: "utf8",
        timeout: 60_000,
        env: plainEnv({ PORT: "0", DATA_DIR: join(app, "never-created") }),
      });
      if (problem) {
        expect(result.status, entry).toBe(1);
        expect(result.stderr, entry).toContain(problem);
      } else expect(result.stderr).not.toMatch(/AI Hub needs Node\.js/);
    }
    expect(existsSync(join(app, "never-created"))).toBe(false);
  });
});
