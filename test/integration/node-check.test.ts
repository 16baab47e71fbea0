import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { NODE_REQUIRED, nodeVersionProblem } from "../../src/node-check.js";

/** Debian's own Node (20 on this machine class), older than the pinned one npm scripts use. */
const SYSTEM_NODE = "/usr/bin/node";
const TSX_CLI = "node_modules/tsx/dist/cli.mjs";
const NEVER_CREATED = join(tmpdir(), `aihub-node-check-${process.pid}`);

describe("Node version check", () => {
  it("names the version found and the one needed", () => {
    expect(nodeVersionProblem("20.20.2")).toMatch(
      /needs Node\.js >= 22\.18\.0, but this is Node\.js 20\.20\.2/,
    );
    expect(nodeVersionProblem("v22.17.9")).toMatch(/this is Node\.js 22\.17\.9/);
    expect(nodeVersionProblem("22.18.0")).toBeNull();
    expect(nodeVersionProblem("22.23.3")).toBeNull();
    expect(nodeVersionProblem("24.0.0")).toBeNull();
    expect(NODE_REQUIRED).toBe("22.18.0");
  });

  // Every entry imports the check before anything else (ES modules evaluate in import order). The
  // entries are the files npm scripts run with tsx, so a new script cannot forget the check.
  const scripts = JSON.parse(readFileSync("package.json", "utf8")).scripts as Record<string, string>;
  const entries = [
    ...new Set(
      Object.values(scripts).flatMap((cmd) => [...cmd.matchAll(/\btsx\s+(\S+\.ts)\b/g)].map((m) => m[1]!)),
    ),
  ];
  it("finds the entries in package.json", () => {
    expect(entries).toEqual(expect.arrayContaining(["src/server.ts", "src/worker.ts", "src/cli/migrate.ts"]));
  });
  it.each(entries)("%s imports the check first", (entry) => {
    const source = readFileSync(entry, "utf8");
    const first = /^import\s[^;]*;/m.exec(source)?.[0];
    expect(first).toMatch(/^import "(\.\.?\/)+(src\/)?node-check\.js";$/);
  });

  // Started under the system Node with tsx, as a user running `npx tsx src/server.ts` there would.
  // Each start transforms the entry's whole import graph first (slow on a busy machine): one entry.
  it("the server stops on an older Node with that message, before doing anything", () => {
    expect(existsSync(SYSTEM_NODE), "Debian's nodejs package provides /usr/bin/node").toBe(true);
    const version = spawnSync(SYSTEM_NODE, ["--version"], { encoding: "utf8" }).stdout.trim();
    const result = spawnSync(SYSTEM_NODE, [TSX_CLI, "src/server.ts"], {
      encoding: "utf8",
      timeout: 170_000,
      env: { ...process.env, PORT: "0", DATA_DIR: NEVER_CREATED },
    });
    const problem = nodeVersionProblem(version);
    if (problem) {
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(problem);
      expect(existsSync(NEVER_CREATED)).toBe(false);
    } else {
      // The system Node is recent enough here: the check must stay silent.
      expect(result.stderr).not.toMatch(/AI Hub needs Node\.js/);
    }
  }, 180_000);
});
