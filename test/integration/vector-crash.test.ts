/**
 * The embedded engine as its own process, killed without warning in the middle of acknowledged
 * upserts: every point whose `wait: true` upsert was acknowledged must be there after a restart.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { QdrantClient } from "@qdrant/js-client-rest";
import { describe, expect, it } from "vitest";
import { DIM, dense } from "../helpers/qdrant-conformance.js";

const EXTERNAL = process.env.QDRANT_URL;

// ---- Crash safety --------------------------------------------------------------------------------

function spawnEngine(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/vector/engine/main.ts"], {
    cwd: join(import.meta.dirname, "../.."),
    env: { ...process.env, ENGINE_DATA_DIR: dataDir, ENGINE_PORT: "0", ENGINE_HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stdout!.on("data", (c) => {
      out += c;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.stderr!.on("data", (c) => {
      err += c;
    });
    child.once("exit", (code) => reject(new Error(`engine exited (${code}) before listening: ${err}`)));
  });
}

describe.skipIf(EXTERNAL)("vector engine crash safety", () => {
  it("loses no acknowledged write when SIGKILLed mid-upsert", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "vector-kill-"));
    try {
      const first = await spawnEngine(dataDir);
      const client = new QdrantClient({ url: first.url, checkCompatibility: false });
      await client.createCollection("crash", { vectors: { size: DIM, distance: "Cosine" } });
      const acked: number[] = [];
      let nextId = 0;
      let killed = false;
      const writer = async () => {
        while (!killed) {
          const ids = Array.from({ length: 50 }, () => nextId++);
          try {
            await client.upsert("crash", {
              wait: true,
              points: ids.map((id) => ({
                id,
                vector: dense(id, 0.5),
                payload: { n: id, text: "x".repeat(200) },
              })),
            });
            if (!killed) acked.push(...ids);
          } catch {
            return; // the engine died under this request: it was never acknowledged
          }
        }
      };
      const writers = [writer(), writer(), writer()];
      const deadline = Date.now() + 20_000;
      while (acked.length < 1500 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      // Writes are in flight right now: kill without warning.
      const ackedAtKill = acked.length;
      first.child.kill("SIGKILL");
      killed = true;
      await Promise.all(writers);
      await new Promise((r) =>
        first.child.exitCode !== null || first.child.signalCode ? r(null) : first.child.once("exit", r),
      );
      expect(ackedAtKill).toBeGreaterThanOrEqual(1500);

      const second = await spawnEngine(dataDir);
      try {
        const c2 = new QdrantClient({ url: second.url, checkCompatibility: false });
        const ackedIds = acked.slice(0, ackedAtKill);
        const got = await c2.retrieve("crash", { ids: ackedIds, with_payload: true });
        expect(got.length).toBe(ackedIds.length);
        const { count } = await c2.count("crash", { exact: true });
        expect(count).toBeGreaterThanOrEqual(ackedIds.length);
      } finally {
        second.child.kill("SIGTERM");
        await new Promise((r) => second.child.once("exit", r));
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
