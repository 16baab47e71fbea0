import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, PLATFORM_KEY, type TestApp } from "../helpers/app.js";
import { openTestDatabase, type TestDatabase } from "../helpers/database.js";
import { packPlugin } from "../helpers/plugins.js";

/**
 * Issue 19's first "done when": the worked example and all ten core plugins install from their npm pack
 * tarballs with the network cut. The tarballs are packed first (npm pack reads only the folder); then,
 * for the installs, every outgoing connection of this process is refused, so an install that reached
 * for a registry or any other host would fail here instead of passing quietly.
 */
const CORE = readdirSync("src/plugins/core", { withFileTypes: true })
  .filter((d) => d.isDirectory() && d.name !== "shared")
  .map((d) => d.name)
  .sort();
const FOLDERS = [...CORE.map((n) => `src/plugins/core/${n}`), "fixtures/plugins/example-footer"];

let db: TestDatabase;
let t: TestApp;
let packed: { folder: string; bytes: Buffer }[];
const attempts: string[] = [];
const realConnect = net.Socket.prototype.connect;

beforeAll(async () => {
  packed = FOLDERS.map((folder) => ({ folder, bytes: packPlugin(folder).bytes }));
  db = await openTestDatabase("pglite");
  t = await createTestApp(db, {}, { PLUGINS_DIR: mkdtempSync(join(tmpdir(), "aihub-plugins-")) });
}, 180_000);
afterAll(async () => {
  net.Socket.prototype.connect = realConnect;
  t?.deps.plugins?.close();
  await db?.cleanup();
});

describe("core plugins install offline (issue 19)", () => {
  it("there are ten core plugins", () => {
    expect(CORE).toEqual([
      "epub",
      "glossary-expander",
      "mmr-reranker",
      "ocr",
      "pii-redaction",
      "presentations",
      "s3-connector",
      "spreadsheets",
      "web-connector",
      "webhook-postprocessor",
    ]);
  });

  it("installs the example and every core plugin from its tarball, sha256 checked, with no connection made", async () => {
    // The network cut: any socket this process opens from here on is refused and recorded.
    net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
      attempts.push(JSON.stringify(args[0]));
      throw new Error("network cut by the test");
    } as typeof realConnect;
    try {
      for (const p of packed) {
        const sha = createHash("sha256").update(p.bytes).digest("hex");
        const res = await t.app.request(`/v1/platform/plugins?sha256=${sha}`, {
          method: "POST",
          headers: { authorization: `Bearer ${PLATFORM_KEY}`, "content-type": "application/gzip" },
          body: new Uint8Array(p.bytes),
        });
        const body = await res.json();
        expect(res.status, `${p.folder}: ${JSON.stringify(body)}`).toBe(201);
        expect(body.sha256).toBe(sha);
      }
    } finally {
      net.Socket.prototype.connect = realConnect;
    }
    expect(attempts).toEqual([]);
    const list = await t.app.request("/v1/platform/plugins", {
      headers: { authorization: `Bearer ${PLATFORM_KEY}` },
    });
    const ids = ((await list.json()).data as { id: string }[]).map((p) => p.id).sort();
    expect(ids).toEqual([...CORE, "example-footer"].sort());
  }, 120_000);
});
