import { mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bindConnector, installTarball, syncNow } from "../helpers/connectors.js";
import { type IngestStack, startIngestStack, tenantWithKb } from "../helpers/ingest.js";

/**
 * Without PLUGIN_ALLOW_PRIVATE_HOSTS (the default), an organization cannot point a connector (or the
 * webhook post-processor, refused when saved) at the
 * service's own network (issue 19): a loopback, private or link-local source is refused at binding
 * (400 naming config.url), and a run re-checks every fetch, so a name that resolves inside (or not at
 * all) fails the run with plugin_permission_denied. A site served on 127.0.0.1 is never requested.
 */
let stack: IngestStack;
let site: Server;
let base = "";
const hits: string[] = [];
let org: Awaited<ReturnType<typeof tenantWithKb>>;

beforeAll(async () => {
  site = createServer((req, res) => {
    hits.push(req.url ?? "");
    res.end("<html><head><title>Inside</title></head><body>Internal only.</body></html>");
  });
  base = await new Promise<string>((r) =>
    site.listen(0, "127.0.0.1", () => r(`http://127.0.0.1:${(site.address() as AddressInfo).port}`)),
  );
  stack = await startIngestStack("pglite", {
    env: {
      PLUGINS_DIR: mkdtempSync(join(tmpdir(), "aihub-plugins-")),
      BLOB_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 5).toString("base64")}`,
    },
  });
  expect(stack.t.deps.config.PLUGIN_ALLOW_PRIVATE_HOSTS).toBe(false);
  org = await tenantWithKb(stack.t);
  await installTarball(stack.t, "src/plugins/core/web-connector");
  const on = await stack.t.call("PUT", "/v1/plugins/web-connector", {
    key: org.adminKey,
    body: { enabled: true },
  });
  expect(on.status).toBe(200);
}, 120_000);
afterAll(async () => {
  stack?.t.deps.plugins?.close();
  await stack?.close();
  await new Promise((r) => site?.close(r));
});

describe("connectors and private addresses (issue 19)", () => {
  it("refuses loopback, private and link-local sources at binding", async () => {
    const port = new URL(base).port;
    for (const url of [
      `${base}/`,
      `http://localhost:${port}/`,
      `http://[::1]:${port}/`,
      "http://169.254.169.254/latest/meta-data/",
      "http://10.0.0.8/",
      "http://[::ffff:127.0.0.1]/",
    ]) {
      const r = await stack.t.call("POST", `/v1/knowledge-bases/${org.kbId}/connectors`, {
        key: org.adminKey,
        body: { plugin_id: "web-connector", config: { url } },
      });
      expect(r.status, url).toBe(400);
      expect(r.body.errors[0].field).toBe("config.url");
      expect(r.body.detail).toContain("PLUGIN_ALLOW_PRIVATE_HOSTS");
    }
    expect(hits).toEqual([]);
  });

  it("checks again at run time: a source that does not resolve to a public address fails the run", async () => {
    // Reserved for examples: never resolves, so binding accepts it (the run decides).
    const id = await bindConnector(stack.t, org.adminKey, org.kbId, {
      plugin_id: "web-connector",
      config: { url: "http://source.invalid/" },
    });
    const c = await syncNow(stack.t, org.ingestKey, org.kbId, id);
    expect(c.state).toBe("failed");
    expect(JSON.stringify(c.last_run.errors)).toMatch(/plugin_permission_denied|public addresses/);
    expect(JSON.stringify(c.last_run.errors)).toMatch(/source\.invalid does not resolve/);
    expect(hits).toEqual([]);
    expect((await stack.t.call("GET", "/healthz", { key: null })).status).toBe(200);
  }, 60_000);

  it("refuses a webhook post-processor aimed at a private address when the organization saves it", async () => {
    await installTarball(stack.t, "src/plugins/core/webhook-postprocessor");
    const save = (url: string) =>
      stack.t.call("PUT", "/v1/plugins/webhook-postprocessor", {
        key: org.adminKey,
        body: { enabled: true, config: { url }, secrets: { signingSecret: "whsec_0123456789abcdef" } },
      });
    for (const url of [`${base}/hook`, "http://169.254.169.254/latest/", "http://192.168.1.20/hook"]) {
      const r = await save(url);
      expect(r.status, url).toBe(400);
      expect(r.body.errors[0].field).toBe("config.url");
      expect(r.body.detail).toMatch(/^Plugins fetch only from public addresses/);
      expect(r.body.detail).toContain("PLUGIN_ALLOW_PRIVATE_HOSTS");
    }
    // A name that does not resolve yet is saved; the sandbox refuses it when an answer is posted.
    expect((await save("https://hooks.invalid/answers")).status).toBe(200);
    expect(hits).toEqual([]);
  });
});
