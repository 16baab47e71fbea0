import { spawn } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Starts the child, sends it `signals`, and collects its output and exit code. */
function run(mode: string, signals: NodeJS.Signals[]): Promise<{ code: number | null; lines: string[] }> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", resolve(root, "test/helpers/shutdown-child.ts"), mode],
    {
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  // The first signal once the child is ready, the next once it is stopping (delivery order is then sure).
  let out = "";
  let sent = 0;
  child.stdout.on("data", (d: Buffer) => {
    out += d.toString();
    const due = [out.includes("ready"), out.includes("stop called")].filter(Boolean).length;
    while (sent < Math.min(due, signals.length)) child.kill(signals[sent++]);
  });
  return new Promise((done) =>
    child.on("exit", (code) => done({ code, lines: out.trim().split("\n").filter(Boolean) })),
  );
}

describe("the shared shutdown helper (server and worker entries)", () => {
  it("stops once on the first signal, ignores the next, and exits 0 when stopping finishes", async () => {
    const { code, lines } = await run("clean", ["SIGTERM", "SIGINT"]);
    expect(code).toBe(0);
    expect(lines).toEqual(["ready", 'info stopping {"signal":"SIGTERM"}', "stop called", "info stopped"]);
  }, 30_000);

  it("runs onTimeout at the deadline when stopping does not finish", async () => {
    const { code, lines } = await run("stuck", ["SIGINT"]);
    expect(code).toBe(1);
    expect(lines).toEqual(["ready", 'info stopping {"signal":"SIGINT"}', "stop called", "timed out"]);
  }, 30_000);
});
