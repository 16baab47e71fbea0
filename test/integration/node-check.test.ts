import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
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

  // Every entry imports the check first; each is started under the system Node with tsx, as a user
  // running `npx tsx src/server.ts` there would.
  const entries = ["src/server.ts", "ingest/worker.ts", "src/vector/engine/main.ts", "src/db/migrate-cli.ts"];
  it.each(entries)("%s stops on an older Node with that message, before doing anything", (entry) => {
    expect(existsSync(SYSTEM_NODE), "Debian's nodejs package provides /usr/bin/node").toBe(true);
    const version = spawnSync(SYSTEM_NODE, ["--version"], { encoding: "utf8" }).stdout.trim();
    const result = spawnSync(SYSTEM_NODE, [TSX_CLI, entry], {
      encoding: "utf8",
      timeout: 60_000,
      env: { ...process.env, PORT: "0", DATA_DIR: NEVER_CREATED, ENGINE_PORT: "0" },
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
  });
});
