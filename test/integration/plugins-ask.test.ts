import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ENABLED_TTL_MS, enabledRows } from "../../src/services/plugins/enabled-cache.js";
import { type AskTestApp, ask, startAskTestApp } from "../helpers/ask-app.js";
import { indexDocument } from "../helpers/search-index.js";

/**
 * Plugins in the product (issue 19): an organization's rerankers reorder the sources of /v1/ask, and
 * hostile rerankers (an endless loop, unbounded allocation, reaching for an undeclared host) each fail
 * their own step while /healthz and the ask itself keep answering.
 */
let a: AskTestApp;
let org: { adminKey: string; kbId: string; tenantId: string };
const WARSAW = "Warsaw is the capital of Poland and its largest city on the Vistula.";

async function installAll() {
  for (const dir of [
    "src/plugins/core/mmr-reranker",
    "src/plugins/core/webhook-postprocessor",
    "fixtures/plugins/example-footer",
    ...["loop", "memory", "reach"].map((k) => `fixtures/plugins/hostile-${k}`),
  ]) {
    const r = await a.t.call("POST", "/v1/platform/plugins", { body: { folder: resolve(dir) } });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
  }
}
const setPlugin = (id: string, enabled: boolean, config?: Record<string, unknown>) =>
  a.t.call("PUT", `/v1/plugins/${id}`, {
    key: org.adminKey,
    body: { enabled, ...(config ? { config } : {}) },
  });
const sourceTexts = async (question: string) => {
  const r = await ask(a.t, org.adminKey, {
    question,
    knowledge_base_ids: [org.kbId],
    stream: true,
    top_k: 4,
  });
  expect(r.status).toBe(200);
  return (r.events[0]!.data.sources as { text: string }[]).map((s) => s.text);
};

beforeAll(async () => {
  a = await startAskTestApp("pglite", {
    models: null,
    env: {
      PLUGINS_DIR: mkdtempSync(join(tmpdir(), "aihub-plugins-")),
      BLOB_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 3).toString("base64")}`,
      // The webhook receiver is on 127.0.0.1, which plugins reach only when the operator allows it.
      PLUGIN_ALLOW_PRIVATE_HOSTS: "true",
    },
  });
  const tenant = await a.t.call("POST", "/v1/tenants", { body: { name: "Plugged" } });
  const adminKey = tenant.body.key.key as string;
  const kb = await a.t.call("POST", "/v1/knowledge-bases", {
    key: adminKey,
    body: { name: "Poland", language: "en" },
  });
  const tenantId = tenant.body.tenant.id as string;
  org = { adminKey, kbId: kb.body.id, tenantId };
  // Three near-copies of one fact crowd out a different one: what MMR is for.
  for (const [i, text] of [
    WARSAW,
    `${WARSAW} `,
    `${WARSAW} Indeed.`,
    "Kraków was the capital of Poland until 1596, before Warsaw.",
  ].entries()) {
    await indexDocument(a.t.deps.database, a.fx, {
      tenantId,
      kbId: org.kbId,
      title: `Doc ${i}`,
      chunks: [{ text, pageStart: 1 }],
    });
  }
  await installAll();
}, 120_000);
afterAll(async () => {
  a.t.deps.plugins?.close();
  await a?.close();
});

describe("plugins in ask (issue 19)", () => {
  it("the MMR reranker brings the distinct source up past the near-duplicates", async () => {
    const before = await sourceTexts("What is the capital city of Poland on the Vistula?");
    const krakowBefore = before.findIndex((t) => t.startsWith("Kraków"));
    expect(krakowBefore).toBeGreaterThan(1);
    expect((await setPlugin("mmr-reranker", true, { lambda: 0.5 })).status).toBe(200);
    const after = await sourceTexts("What is the capital city of Poland on the Vistula?");
    expect(after.findIndex((t) => t.startsWith("Kraków"))).toBe(1);
    expect([...after].sort()).toEqual([...before].sort());
    expect((await setPlugin("mmr-reranker", false)).status).toBe(200);
    expect(await sourceTexts("What is the capital city of Poland on the Vistula?")).toEqual(before);
  });

  it("hostile rerankers fail their own step; /healthz and the ask keep answering", async () => {
    const baseline = await sourceTexts("What is the capital city of Poland on the Vistula?");
    for (const id of ["hostile-loop", "hostile-memory", "hostile-reach"]) {
      expect((await setPlugin(id, true)).status).toBe(200);
    }
    const health: number[] = [];
    let asking = true;
    const poll = (async () => {
      while (asking) {
        const started = performance.now();
        const r = await a.t.app.request("/healthz");
        health.push(r.status === 200 ? performance.now() - started : -1);
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
    const started = Date.now();
    const during = await sourceTexts("What is the capital city of Poland on the Vistula?");
    asking = false;
    await poll;
    expect(during).toEqual(baseline);
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(health.length).toBeGreaterThan(5);
    expect(health.every((ms) => ms >= 0 && ms < 500)).toBe(true);
  }, 60_000);

  it("post-processors change the JSON answer and post it, signed, to the organization's webhook", async () => {
    const { createServer } = await import("node:http");
    const hooks: { body: string; signature: string }[] = [];
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (d) => {
        body += d;
      });
      req.on("end", () => {
        hooks.push({ body, signature: String(req.headers["x-aihub-signature"]) });
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as import("node:net").AddressInfo).port;
    expect((await setPlugin("example-footer", true, { footer: "Checked by a person." })).status).toBe(200);
    const hook = await a.t.call("PUT", "/v1/plugins/webhook-postprocessor", {
      key: org.adminKey,
      body: {
        enabled: true,
        config: { url: `http://127.0.0.1:${port}/hook` },
        secrets: { signingSecret: "whsec_0123456789abcdef" },
      },
    });
    expect(hook.status, JSON.stringify(hook.body)).toBe(200);
    const listed = await a.t.call("GET", "/v1/plugins", { key: org.adminKey });
    const wh = listed.body.data.find((p: { id: string }) => p.id === "webhook-postprocessor");
    expect(wh).toMatchObject({
      secrets_set: ["signingSecret"],
      config: { url: `http://127.0.0.1:${port}/hook` },
    });
    expect(JSON.stringify(listed.body)).not.toContain("whsec_");
    const r = await ask(a.t, org.adminKey, {
      question: "What is the capital of Poland?",
      knowledge_base_ids: [org.kbId],
      stream: false,
    });
    expect(r.status).toBe(200);
    const text = r.body.answers[0].text as string;
    expect(text.endsWith("\n\nChecked by a person.")).toBe(true);
    expect(hooks).toHaveLength(1);
    expect(JSON.parse(hooks[0]!.body).answer).toBe(text);
    expect(hooks[0]!.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    server.close();
  });
});

describe("an organization's enabled plugins, cached per process", () => {
  it("a change made elsewhere is seen one read after the entry expires, and no ask waits for that read", async () => {
    const deps = a.t.deps;
    expect((await setPlugin("mmr-reranker", true)).status).toBe(200);
    const ids = async () => (await enabledRows(deps, org.tenantId)).map((r) => r.pluginId);
    expect(await ids()).toContain("mmr-reranker");
    // Another API process turns it off: plain SQL, so this process is not told.
    await deps.database.db.execute(
      sql`update org_plugins set enabled = false where tenant_id = ${org.tenantId} and plugin_id = 'mmr-reranker'`,
    );
    expect(await ids()).toContain("mmr-reranker");
    const now = Date.now();
    const clock = vi.spyOn(Date, "now").mockReturnValue(now + ENABLED_TTL_MS + 1);
    try {
      // Expired: still answered from memory at once, while the fresh read runs beside it.
      const load = vi.spyOn(deps.database.db, "select");
      expect(await ids()).toContain("mmr-reranker");
      expect(load).toHaveBeenCalledTimes(1);
      load.mockRestore();
      await vi.waitFor(async () => expect(await ids()).not.toContain("mmr-reranker"), { timeout: 5_000 });
    } finally {
      clock.mockRestore();
    }
  });
});
