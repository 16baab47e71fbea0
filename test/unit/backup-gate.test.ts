import { describe, expect, it } from "vitest";
import { WriteGate } from "../../src/backup/gate.js";
import { createTestApp } from "../helpers/app.js";
import { openTestDatabase } from "../helpers/database.js";

const tick = () => new Promise((r) => setTimeout(r, 5));

describe("the backup's write barrier", () => {
  it("waits for running writes, holds new ones while it copies, then lets them go", async () => {
    const gate = new WriteGate();
    const log: string[] = [];
    let finishRunning!: () => void;
    const running = gate.write(
      () =>
        new Promise<void>((r) => {
          finishRunning = () => {
            log.push("running write done");
            r();
          };
        }),
    );
    const held = gate.hold(async () => {
      log.push("copy");
    }, 5_000);
    await tick();
    const late = gate.write(async () => {
      log.push("late write");
    });
    await tick();
    expect(log).toEqual([]);
    finishRunning();
    await Promise.all([running, held, late]);
    expect(log).toEqual(["running write done", "copy", "late write"]);
  });

  it("gives up after its timeout and reopens, so writes are never stuck", async () => {
    const gate = new WriteGate();
    let release!: () => void;
    const slow = gate.write(() => new Promise<void>((r) => (release = r)));
    await expect(gate.hold(async () => "never", 30)).rejects.toThrow(/writes still running after 30 ms/);
    expect(await gate.write(async () => "after")).toBe("after");
    release();
    await slow;
  });

  it("POST /v1/platform/backup: platform only, and 501 naming the production procedure without a backup source", async () => {
    const db = await openTestDatabase("pglite");
    try {
      const t = await createTestApp(db);
      const { adminKey } = await t.newTenant();
      expect((await t.call("POST", "/v1/platform/backup", { key: null })).status).toBe(401);
      expect((await t.call("POST", "/v1/platform/backup", { key: adminKey })).status).toBe(403);
      const r = await t.call("POST", "/v1/platform/backup");
      expect(r.status).toBe(501);
      expect(r.body.detail).toMatch(/pg_dump, Qdrant snapshots/);
    } finally {
      await db.cleanup();
    }
  });
});
