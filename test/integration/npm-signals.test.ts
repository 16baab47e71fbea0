import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { portOpen } from "../helpers/process.js";

/**
 * `npm start`, `npm run worker` and `npm run engine` exec their entry (package.json), so a SIGTERM sent
 * to npm reaches the service, which drains and stops. Before, npm's shell died and left the server
 * running and listening. Checked with the engine: the lightest of the three, the same script shape.
 */
describe("npm scripts pass signals to the service", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it("SIGTERM to `npm run engine` stops the engine and frees its port", async () => {
    const dataDir = await mkdtemp(join(tmpdir(), "aihub-signals-"));
    dirs.push(dataDir);
    const npm = spawn("npm", ["run", "-s", "engine"], {
      env: { ...process.env, ENGINE_DATA_DIR: dataDir, ENGINE_PORT: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    const listening = new Promise<number>((resolve, reject) => {
      const onData = (d: Buffer) => {
        out += d.toString();
        const m = out.match(/listening on http:\/\/[^:]+:(\d+)/);
        if (m) resolve(Number(m[1]));
      };
      npm.stdout!.on("data", onData);
      npm.stderr!.on("data", onData);
      npm.on("exit", () => reject(new Error(`npm exited before listening: ${out}`)));
    });
    const port = await listening;
    expect(await portOpen(port)).toBe(true);
    const exited = new Promise<number | null>((resolve) => npm.on("exit", (code) => resolve(code)));
    npm.kill("SIGTERM");
    await exited;
    // The engine was npm's only child (exec): with npm gone and the signal delivered, nothing listens.
    const deadline = Date.now() + 10_000;
    while ((await portOpen(port)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await portOpen(port)).toBe(false);
  }, 60_000);
});
