import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type Spawned, spawnTs } from "../helpers/process.js";

/** The embedded default as a user runs it: a real process, a data directory, HTTP, a restart. */
describe("npm start (embedded profile)", () => {
  let dataDir: string;
  const procs: Spawned[] = [];

  afterAll(async () => {
    for (const p of procs) p.child.kill("SIGKILL");
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  async function start() {
    const p = spawnTs("src/server.ts", {
      DATA_DIR: dataDir,
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_LEVEL: "warn",
    });
    procs.push(p);
    const [, base] = await p.waitFor(/listening on (http:\/\/localhost:\d+)/, 60_000);
    return { p, base: base! };
  }

  it("serves, prints the admin key once, keeps data across a restart, and drains on SIGTERM", async () => {
    dataDir = await mkdtemp(join(tmpdir(), "aihub-embedded-"));
    const first = await start();
    const [, adminKey] = await first.p.waitFor(/Platform admin key.*\n\s+(aih_\S+)/);
    expect((await fetch(`${first.base}/healthz`)).status).toBe(200);
    const ready = await (await fetch(`${first.base}/readyz`)).json();
    expect(ready).toMatchObject({ status: "ready", checks: { database: "up", vectors: "up" } });

    const headers = { authorization: `Bearer ${adminKey}`, "content-type": "application/json" };
    const tenant = await (
      await fetch(`${first.base}/v1/tenants`, {
        method: "POST",
        headers,
        body: JSON.stringify({ name: "Acme" }),
      })
    ).json();
    const tenantHeaders = { authorization: `Bearer ${tenant.key.key}`, "content-type": "application/json" };
    const kb = await fetch(`${first.base}/v1/knowledge-bases`, {
      method: "POST",
      headers: tenantHeaders,
      body: JSON.stringify({ name: "Manuals" }),
    });
    expect(kb.status).toBe(201);

    first.p.child.kill("SIGTERM");
    expect(await first.p.exited).toBe(0);

    const second = await start();
    expect(second.p.output()).not.toMatch(/Platform admin key/);
    const list = await (await fetch(`${second.base}/v1/knowledge-bases`, { headers: tenantHeaders })).json();
    expect(list.data.map((k: { name: string }) => k.name)).toEqual(["Manuals"]);
    second.p.child.kill("SIGTERM");
    expect(await second.p.exited).toBe(0);
  }, 180_000);

  it("refuses to start on a bad setting and names it", async () => {
    const p = spawnTs("src/server.ts", { PORT: "not-a-port" });
    procs.push(p);
    expect(await p.exited).toBe(1);
    expect(p.output()).toMatch(/PORT="not-a-port"/);
  });
});
