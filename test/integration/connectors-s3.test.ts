import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  bindConnector,
  connectorSettled,
  documentsByExternalId,
  installTarball,
  syncNow,
} from "../helpers/connectors.js";
import { type IngestStack, startIngestStack, tenantWithKb, waitForTerminal } from "../helpers/ingest.js";
import { startS3 } from "../helpers/s3-server.js";

/**
 * The S3 connector (issue 19) against s3rver on 127.0.0.1: objects under a prefix come in (ETag as the
 * version, continuation tokens followed), a changed object becomes a new version, a deleted one leaves
 * the knowledge base, objects outside the prefix are never listed. Pages of two keys, so every run
 * follows a continuation token. Runs on real PostgreSQL. s3rver does not check SigV4 signatures (only
 * the access key id); test/unit/connector-plugins.test.ts checks the signing against AWS's own example.
 */
let s3: Awaited<ReturnType<typeof startS3>>;
let endpoint = "";
let stack: IngestStack;
let org: Awaited<ReturnType<typeof tenantWithKb>>;

const put = (key: string, body: string, type = "text/plain") =>
  fetch(`${endpoint}/manuals/${key}`, { method: "PUT", body, headers: { "content-type": type } }).then(
    (r) => {
      expect(r.status).toBe(200);
    },
  );
const remove = (key: string) =>
  fetch(`${endpoint}/manuals/${key}`, { method: "DELETE" }).then((r) => expect(r.status).toBe(204));

beforeAll(async () => {
  s3 = await startS3(["manuals"]);
  endpoint = s3.endpoint;
  await put("docs/pump.txt", "The pump primes in ninety seconds when the valve is open.");
  await put("docs/boiler.md", "# Boiler\n\nBleed the radiators before winter.", "text/markdown");
  await put(
    "docs/sub/fan.html",
    "<html><head><title>Fan</title></head><body><p>The fan has three speeds.</p></body></html>",
    "text/html",
  );
  await put("other/skip.txt", "Outside the prefix.");
  stack = await startIngestStack("postgres", {
    env: {
      PLUGINS_DIR: mkdtempSync(join(tmpdir(), "aihub-plugins-")),
      BLOB_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 9).toString("base64")}`,
      // The source is served on 127.0.0.1, which plugins may reach only when the operator allows it;
      // the former name of PLUGIN_ALLOW_PRIVATE_HOSTS, kept working, is used here on purpose.
      CONNECTOR_ALLOW_PRIVATE_HOSTS: "true",
    },
  });
  org = await tenantWithKb(stack.t);
  await installTarball(stack.t, "src/plugins/core/s3-connector");
}, 120_000);

afterAll(async () => {
  stack?.t.deps.plugins?.close();
  await stack?.close();
  s3?.close();
});

describe("S3 connector (issue 19)", () => {
  let id = "";

  it("brings in the objects under the prefix, signed with SigV4; the secret is never listed back", async () => {
    const { t } = stack;
    id = await bindConnector(t, org.adminKey, org.kbId, {
      plugin_id: "s3-connector",
      config: { endpoint, bucket: "manuals", prefix: "docs/", accessKeyId: "S3RVER", pageSize: 2 },
      secrets: { secretAccessKey: "S3RVER" },
    });
    const c = await syncNow(t, org.ingestKey, org.kbId, id);
    expect(c.last_run, JSON.stringify(c.last_run)).toMatchObject({ added: 3, failed: 0, complete: true });
    expect(c.secrets_set).toEqual(["secretAccessKey"]);
    expect(c.config).not.toHaveProperty("secretAccessKey");
    const docs = await documentsByExternalId(t, org.adminKey, org.kbId);
    expect([...docs.keys()].sort()).toEqual(["docs/boiler.md", "docs/pump.txt", "docs/sub/fan.html"]);
    for (const d of docs.values())
      expect((await waitForTerminal(t, org.adminKey, d.id)).status).toBe("ready");
  }, 60_000);

  it("a changed object becomes a new version, a deleted one leaves the knowledge base", async () => {
    const { t } = stack;
    const before = await documentsByExternalId(t, org.adminKey, org.kbId);
    await put("docs/pump.txt", "The pump primes in thirty seconds after the 2026 retrofit.");
    await remove("docs/boiler.md");
    const c = await syncNow(t, org.ingestKey, org.kbId, id);
    expect(c.last_run).toMatchObject({ added: 0, updated: 1, unchanged: 1, deleted: 1, failed: 0 });
    const after = await documentsByExternalId(t, org.adminKey, org.kbId);
    expect([...after.keys()].sort()).toEqual(["docs/pump.txt", "docs/sub/fan.html"]);
    const pump = after.get("docs/pump.txt")!;
    expect(pump.id).toBe(before.get("docs/pump.txt")!.id);
    expect((await waitForTerminal(t, org.adminKey, pump.id)).status).toBe("ready");
    const text = await t.call("GET", `/v1/documents/${pump.id}/text`, { key: org.adminKey });
    expect(JSON.stringify(text.body)).toContain("thirty seconds");
  }, 60_000);

  it("two sync calls racing on PostgreSQL: one run starts, the other is told one is in progress", async () => {
    const { t } = stack;
    const sync = () =>
      t.call("POST", `/v1/knowledge-bases/${org.kbId}/connectors/${id}/sync`, { key: org.ingestKey });
    const statuses = (await Promise.all([sync(), sync(), sync()])).map((r) => r.status).sort();
    expect(statuses).toEqual([202, 409, 409]);
    const c = await connectorSettled(t, org.ingestKey, org.kbId, id);
    expect(c.last_run).toMatchObject({ added: 0, updated: 0, unchanged: 2, deleted: 0, complete: true });
  }, 60_000);

  it("an unknown access key fails the listing with S3's own error and deletes nothing", async () => {
    const { t } = stack;
    const c0 = await t.call("GET", `/v1/knowledge-bases/${org.kbId}/connectors/${id}`, { key: org.adminKey });
    const before = await documentsByExternalId(t, org.adminKey, org.kbId);
    const patch = await t.call("POST", `/v1/knowledge-bases/${org.kbId}/connectors`, {
      key: org.adminKey,
      body: {
        plugin_id: "s3-connector",
        config: { endpoint, bucket: "manuals", prefix: "docs/", accessKeyId: "NOBODY" },
        secrets: { secretAccessKey: "S3RVER" },
      },
    });
    expect(patch.status).toBe(201);
    const c = await syncNow(t, org.adminKey, org.kbId, patch.body.id);
    expect(c.state).toBe("failed");
    expect(c.last_run).toMatchObject({ complete: false, deleted: 0, added: 0 });
    expect(c.last_run.errors[0].message).toContain("InvalidAccessKeyId");
    expect((await documentsByExternalId(t, org.adminKey, org.kbId)).size).toBe(before.size);
    expect(c0.body.state).toBe("idle");
  }, 60_000);
});
