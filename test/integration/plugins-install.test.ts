import { generateKeyPairSync, sign } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../helpers/app.js";
import { openTestDatabase, type TestDatabase } from "../helpers/database.js";
import { packPlugin } from "../helpers/plugins.js";

const ed = generateKeyPairSync("ed25519");
const spki = ed.publicKey.export({ format: "der", type: "spki" }).toString("base64");
let db: TestDatabase;
let t: TestApp;
let org: { tenantId: string; adminKey: string };
const v1 = packPlugin("fixtures/plugins/example-footer");
const v2 = packPlugin("fixtures/plugins/example-footer", { version: "1.1.0" });

const install = (bytes: Buffer, query = "") =>
  t.app.request(`/v1/platform/plugins${query}`, {
    method: "POST",
    headers: {
      authorization: "Bearer test_platform_admin_key_0123456789",
      "content-type": "application/gzip",
    },
    body: new Uint8Array(bytes),
  });

beforeAll(async () => {
  db = await openTestDatabase("pglite");
  t = await createTestApp(
    db,
    {},
    {
      PLUGINS_DIR: mkdtempSync(join(tmpdir(), "aihub-plugins-")),
      PLUGIN_TRUSTED_KEYS: `release:${spki}`,
      BLOB_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString("base64")}`,
    },
  );
  org = await t.newTenant("Plugins");
});
afterAll(async () => {
  t.deps.plugins?.close();
  await db.cleanup();
});

describe("plugin installation (issue 19)", () => {
  it("refuses a tarball whose sha256 or signature does not match, and counts the failures", async () => {
    const bad = await install(v1.bytes, `?sha256=${"0".repeat(64)}`);
    expect(bad.status).toBe(400);
    expect((await bad.json()).code).toBe("plugin_invalid");
    const forged = sign(null, Buffer.from("something else"), ed.privateKey).toString("base64");
    const unsigned = await install(v1.bytes, `?signature=${encodeURIComponent(forged)}`);
    expect(unsigned.status).toBe(400);
    const notTar = await install(Buffer.from("hello"));
    expect((await notTar.json()).detail).toMatch(/not a gzip tarball/);
    const metrics = await t.deps.metrics!.render();
    expect(metrics.body).toMatch(/plugin_installs_total\{outcome="failure"\} 3/);
  });

  it("installs a signed npm pack tarball with its sha256, and the first version becomes active", async () => {
    const { createHash } = await import("node:crypto");
    const sha = createHash("sha256").update(v1.bytes).digest("hex");
    const sig = sign(null, v1.bytes, ed.privateKey).toString("base64");
    const r = await install(v1.bytes, `?sha256=${sha}&signature=${encodeURIComponent(sig)}`);
    expect(r.status).toBe(201);
    expect(await r.json()).toMatchObject({
      id: "example-footer",
      version: "1.0.0",
      sha256: sha,
      signed_by: "release",
      active: true,
    });
    expect((await install(v1.bytes)).status).toBe(409);
    expect((await t.deps.metrics!.render()).body).toMatch(/plugin_installs_total\{outcome="success"\} 1/);
  });

  it("lets an organization enable it with a configuration checked against its schema", async () => {
    const list = await t.call("GET", "/v1/plugins", { key: org.adminKey });
    expect(list.body.data).toMatchObject([{ id: "example-footer", enabled: false, version: "1.0.0" }]);
    const bad = await t.call("PUT", "/v1/plugins/example-footer", {
      key: org.adminKey,
      body: { enabled: true, config: { footer: 42 } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe("config.footer");
    const ok = await t.call("PUT", "/v1/plugins/example-footer", {
      key: org.adminKey,
      body: { enabled: true, config: { footer: "Checked by a person." } },
    });
    expect(ok.status).toBe(200);
    const query = await t.newKey(org.adminKey, ["query"]);
    expect((await t.call("GET", "/v1/plugins", { key: query.key })).status).toBe(403);
    expect(
      (await t.call("PUT", "/v1/plugins/nope", { key: org.adminKey, body: { enabled: true } })).status,
    ).toBe(404);
  });

  it("upgrades to a new version and rolls back", async () => {
    expect((await install(v2.bytes)).status).toBe(201);
    const up = await t.call("POST", "/v1/platform/plugins/example-footer/upgrade", { body: {} });
    expect(up.body).toEqual({ id: "example-footer", active_version: "1.1.0", previous_version: "1.0.0" });
    const list = await t.call("GET", "/v1/platform/plugins");
    expect(list.body.data[0].versions.map((v: { version: string }) => v.version)).toEqual(["1.1.0", "1.0.0"]);
    expect((await t.call("GET", "/v1/plugins", { key: org.adminKey })).body.data[0]).toMatchObject({
      version: "1.1.0",
      enabled: true,
      config: { footer: "Checked by a person." },
    });
    const back = await t.call("POST", "/v1/platform/plugins/example-footer/rollback");
    expect(back.body).toEqual({ id: "example-footer", active_version: "1.0.0", previous_version: "1.1.0" });
    expect(
      (await t.call("POST", "/v1/platform/plugins/example-footer/upgrade", { body: { version: "9.9.9" } }))
        .status,
    ).toBe(404);
    expect((await t.call("GET", "/v1/platform/plugins", { key: org.adminKey })).status).toBe(403);
  });
});
