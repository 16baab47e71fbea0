import { mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connectorBindings } from "../../src/db/schema.js";
import { startConnectorScheduler } from "../../src/runtime/connector-scheduler.js";
import { runDueConnectors } from "../../src/services/connectors/schedule.js";
import {
  bindConnector,
  connectorSettled,
  documentsByExternalId,
  installTarball,
  syncNow,
} from "../helpers/connectors.js";
import { type IngestStack, startIngestStack, tenantWithKb, waitForTerminal } from "../helpers/ingest.js";

/**
 * The web connector (issue 19) against a site this test serves on 127.0.0.1: a sitemap, a robots.txt
 * with a group for the connector's own agent, an off-site link (another port is another host), a page
 * that disappears between runs (deleted from the knowledge base) and one that changes (a new version).
 */
const page = (title: string, body: string, links: string[] = []) =>
  `<!doctype html><html><head><title>${title}</title></head><body><h1>${title}</h1><p>${body}</p>${links
    .map((l) => `<a href="${l}">${l}</a>`)
    .join(" ")}</body></html>`;

const hits: string[] = [];
const offsiteHits: string[] = [];
let site: Server;
let offsite: Server;
let base = "";
let offBase = "";
const content: Record<string, string> = {};

function listen(s: Server) {
  return new Promise<string>((r) =>
    s.listen(0, "127.0.0.1", () => r(`http://127.0.0.1:${(s.address() as AddressInfo).port}`)),
  );
}

let stack: IngestStack;
let org: Awaited<ReturnType<typeof tenantWithKb>>;

beforeAll(async () => {
  offsite = createServer((req, res) => {
    offsiteHits.push(req.url ?? "");
    res.end(page("Elsewhere", "Not this site."));
  });
  offBase = await listen(offsite);
  site = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0]!;
    hits.push(path);
    const body = content[path];
    if (body === undefined) {
      res.statusCode = 404;
      res.end("not found");
      return;
    }
    const type = path.endsWith(".txt")
      ? "text/plain"
      : path.endsWith(".xml")
        ? "application/xml"
        : "text/html";
    res.setHeader("content-type", `${type}; charset=utf-8`);
    res.end(body);
  });
  base = await listen(site);
  Object.assign(content, {
    "/robots.txt": [
      "User-agent: *",
      "Disallow: /private/",
      "",
      "# Our own group replaces the * group for us.",
      "User-agent: aihub-web-connector",
      "Disallow: /private/",
      "Disallow: /drafts/",
      "Allow: /drafts/public",
    ].join("\n"),
    "/sitemap.xml": `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${[
      `${base}/`,
      `${base}/a.html`,
      `${base}/private/secret.html`,
      `${offBase}/elsewhere.html`,
    ]
      .map((u) => `<url><loc>${u}</loc></url>`)
      .join("")}</urlset>`,
    "/": page("Home", "The lighthouse keeper logs the weather at dawn.", [
      "/a.html",
      "b.html#section",
      "/private/secret.html",
      "/drafts/wip.html",
      "/drafts/public.html",
      `${offBase}/elsewhere.html`,
      "mailto:keeper@example.com",
    ]),
    "/a.html": page("Tides", "Spring tides come twice a month.", ["/"]),
    "/b.html": page("Fog", "Fog horns sound every thirty seconds."),
    "/private/secret.html": page("Secret", "Never to be crawled."),
    "/drafts/wip.html": page("Draft", "Not ready."),
    "/drafts/public.html": page("Public draft", "Visitors may climb the tower on Sundays."),
  });
  stack = await startIngestStack("pglite", {
    env: {
      PLUGINS_DIR: mkdtempSync(join(tmpdir(), "aihub-plugins-")),
      BLOB_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString("base64")}`,
      CONNECTOR_MIN_INTERVAL_SECONDS: "1",
      // The source is served on 127.0.0.1, which connectors may reach only when the operator allows it.
      PLUGIN_ALLOW_PRIVATE_HOSTS: "true",
    },
  });
  org = await tenantWithKb(stack.t);
  await installTarball(stack.t, "src/plugins/core/web-connector");
}, 120_000);

afterAll(async () => {
  stack?.t.deps.plugins?.close();
  await stack?.close();
  site?.close();
  offsite?.close();
});

describe("web connector (issue 19)", () => {
  let connector = "";

  it("crawls the start URL's site: robots.txt rules for its own agent, same host only, pages in the KB", async () => {
    const { t } = stack;
    connector = await bindConnector(t, org.adminKey, org.kbId, {
      plugin_id: "web-connector",
      name: "Lighthouse site",
      config: { url: `${base}/` },
    });
    const c = await syncNow(t, org.ingestKey, org.kbId, connector);
    expect(c.state).toBe("idle");
    expect(c.last_run).toMatchObject({ trigger: "manual", added: 4, updated: 0, deleted: 0, failed: 0 });
    expect(c.last_run.complete).toBe(true);
    const docs = await documentsByExternalId(t, org.adminKey, org.kbId);
    expect([...docs.keys()].sort()).toEqual(
      [`${base}/`, `${base}/a.html`, `${base}/b.html`, `${base}/drafts/public.html`].sort(),
    );
    expect(docs.get(`${base}/a.html`)!.title).toBe("Tides");
    for (const d of docs.values())
      expect((await waitForTerminal(t, org.adminKey, d.id)).status).toBe("ready");
    // Disallowed paths (by the connector's own group) and the other host were never requested.
    expect(hits.filter((h) => h.startsWith("/private/") || h === "/drafts/wip.html")).toEqual([]);
    expect(offsiteHits).toEqual([]);
    expect(hits).toContain("/robots.txt");
  }, 60_000);

  it("follows changes: a changed page becomes a new version, a removed one is deleted, the rest is kept", async () => {
    const { t } = stack;
    const before = await documentsByExternalId(t, org.adminKey, org.kbId);
    content["/a.html"] = page("Tides", "Neap tides follow the quarter moons.", ["/"]);
    delete content["/b.html"];
    hits.length = 0;
    const c = await syncNow(t, org.ingestKey, org.kbId, connector);
    expect(c.last_run).toMatchObject({ added: 0, updated: 1, unchanged: 2, deleted: 1, failed: 0 });
    const after = await documentsByExternalId(t, org.adminKey, org.kbId);
    expect(after.has(`${base}/b.html`)).toBe(false);
    const gone = await t.call("GET", `/v1/documents/${before.get(`${base}/b.html`)!.id}`, {
      key: org.adminKey,
    });
    expect(gone.status).toBe(404);
    const a = after.get(`${base}/a.html`)!;
    expect(a.id).toBe(before.get(`${base}/a.html`)!.id);
    expect((await waitForTerminal(t, org.adminKey, a.id)).status).toBe("ready");
    const text = await t.call("GET", `/v1/documents/${a.id}/text`, { key: org.adminKey });
    expect(JSON.stringify(text.body)).toContain("Neap tides");
    const audit = await t.call("GET", "/v1/audit?limit=200", { key: org.adminKey });
    const actions = (audit.body.data as { action: string }[]).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["connector.create", "connector.sync", "connector.run"]));
  }, 60_000);

  it("reads a sitemap: listed same-site pages robots.txt allows, nothing else", async () => {
    const { t } = stack;
    const kb = await t.call("POST", "/v1/knowledge-bases", {
      key: org.adminKey,
      body: { name: "From sitemap" },
    });
    const id = await bindConnector(t, org.adminKey, kb.body.id, {
      plugin_id: "web-connector",
      config: { url: `${base}/sitemap.xml` },
    });
    const c = await syncNow(t, org.adminKey, kb.body.id, id);
    expect(c.last_run).toMatchObject({ added: 2, failed: 0, complete: true });
    const docs = await documentsByExternalId(t, org.adminKey, kb.body.id);
    expect([...docs.keys()].sort()).toEqual([`${base}/`, `${base}/a.html`].sort());
    expect(offsiteHits).toEqual([]);
  }, 60_000);

  it("runs on its schedule, once per due binding even when two sweeps race", async () => {
    const { t } = stack;
    const kb = await t.call("POST", "/v1/knowledge-bases", {
      key: org.adminKey,
      body: { name: "Scheduled" },
    });
    const id = await bindConnector(t, org.adminKey, kb.body.id, {
      plugin_id: "web-connector",
      config: { url: `${base}/a.html`, followLinks: false },
      interval_seconds: 3600,
    });
    const ran = await Promise.all([runDueConnectors(t.deps), runDueConnectors(t.deps)]);
    expect(ran.reduce((a, b) => a + b, 0)).toBe(1);
    const c = await connectorSettled(t, org.adminKey, kb.body.id, id);
    expect(c.last_run).toMatchObject({ trigger: "schedule", added: 1 });
    expect(Date.parse(c.next_run_at) - Date.now()).toBeGreaterThan(3500_000);
    // Not due again for an hour: a sweep now runs nothing.
    expect(await runDueConnectors(t.deps)).toBe(0);
  }, 60_000);

  it("the process's timer runs a due binding again after its interval", async () => {
    const { t } = stack;
    const kb = await t.call("POST", "/v1/knowledge-bases", { key: org.adminKey, body: { name: "Ticking" } });
    const id = await bindConnector(t, org.adminKey, kb.body.id, {
      plugin_id: "web-connector",
      config: { url: `${base}/a.html`, followLinks: false },
      interval_seconds: 1,
    });
    const scheduler = startConnectorScheduler({
      ...t.deps,
      config: { ...t.deps.config, CONNECTOR_TICK_MS: 100 },
    });
    try {
      const runs: string[] = [];
      const deadline = Date.now() + 20_000;
      while (runs.length < 2 && Date.now() < deadline) {
        const c = await connectorSettled(t, org.adminKey, kb.body.id, id).catch(() => null);
        const started = c?.last_run?.started_at as string | undefined;
        if (started && !runs.includes(started)) runs.push(started);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(runs).toHaveLength(2);
      expect(Date.parse(runs[1]!) - Date.parse(runs[0]!)).toBeGreaterThanOrEqual(1000);
    } finally {
      await scheduler.stop();
    }
  }, 60_000);

  it("a lease left by a crashed process is taken over once it expires, not before", async () => {
    const { t } = stack;
    const db = t.deps.database.db;
    const set = (leaseUntil: Date) =>
      db
        .update(connectorBindings)
        .set({ state: "running", leaseUntil })
        .where(eq(connectorBindings.id, connector));
    await set(new Date(Date.now() + 60_000));
    const held = await t.call("POST", `/v1/knowledge-bases/${org.kbId}/connectors/${connector}/sync`, {
      key: org.adminKey,
    });
    expect(held.status).toBe(409);
    await set(new Date(Date.now() - 1_000));
    const stale = await t.call("GET", `/v1/knowledge-bases/${org.kbId}/connectors/${connector}`, {
      key: org.adminKey,
    });
    expect(stale.body.state).toBe("failed");
    const c = await syncNow(t, org.adminKey, org.kbId, connector);
    expect(c).toMatchObject({ state: "idle", last_run: { complete: true, failed: 0 } });
  }, 60_000);

  it("refuses bad bindings with a clear error", async () => {
    const { t } = stack;
    const bad = await t.call("POST", `/v1/knowledge-bases/${org.kbId}/connectors`, {
      key: org.adminKey,
      body: { plugin_id: "web-connector", config: { url: "ftp://example.com" } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe("validation_failed");
    expect(JSON.stringify(bad.body.errors)).toContain("config.url");
    const missing = await t.call("POST", `/v1/knowledge-bases/${org.kbId}/connectors`, {
      key: org.adminKey,
      body: { plugin_id: "no-such-plugin", config: {} },
    });
    expect(missing.status).toBe(404);
    const fast = await t.call("POST", `/v1/knowledge-bases/${org.kbId}/connectors`, {
      key: org.adminKey,
      body: { plugin_id: "web-connector", config: { url: `${base}/` }, interval_seconds: 0 },
    });
    expect(fast.status).toBe(400);
    // One run at a time: a second sync while the first holds the binding is a conflict.
    const first = await t.call("POST", `/v1/knowledge-bases/${org.kbId}/connectors/${connector}/sync`, {
      key: org.adminKey,
    });
    const second = await t.call("POST", `/v1/knowledge-bases/${org.kbId}/connectors/${connector}/sync`, {
      key: org.adminKey,
    });
    expect(first.status).toBe(202);
    expect(second.status).toBe(409);
    expect(second.body.code).toBe("conflict");
    await connectorSettled(t, org.adminKey, org.kbId, connector);
    const del = await t.call("DELETE", `/v1/knowledge-bases/${org.kbId}/connectors/${connector}`, {
      key: org.adminKey,
    });
    expect(del.body).toEqual({ id: connector, deleted: true });
    const list = await t.call("GET", `/v1/knowledge-bases/${org.kbId}/connectors`, { key: org.adminKey });
    expect(list.body.data).toEqual([]);
  }, 60_000);
});
