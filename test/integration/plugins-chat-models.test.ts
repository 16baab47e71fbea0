import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConfigurePluginRequest } from "../../src/routes/plugins/org.js";
import { type AskTestApp, ask, startAskTestApp } from "../helpers/ask-app.js";
import { indexDocument } from "../helpers/search-index.js";

/**
 * Chat-provider plugins in the model registry (issue 19): an organization that enables one sees it in
 * /v1/models as `plugin:<id>` and may ask it; the plugin runs in its sandbox; other organizations
 * neither see nor use it; a failing plugin fails its own answer with the plugin's code.
 */
let a: AskTestApp;
const orgs: { key: string; kb: string }[] = [];

const setEcho = (key: string, body: ConfigurePluginRequest) =>
  a.t.call("PUT", "/v1/plugins/echo-chat", { key, body });
const modelIds = async (key: string) =>
  ((await a.t.call("GET", "/v1/models", { key })).body.data as { id: string }[]).map((m) => m.id);

beforeAll(async () => {
  a = await startAskTestApp("pglite", {
    models: null,
    env: { PLUGINS_DIR: mkdtempSync(join(tmpdir(), "aihub-plugins-")) },
  });
  for (const name of ["Echoing", "Quiet"]) {
    const tenant = await a.t.call("POST", "/v1/tenants", { body: { name } });
    const key = tenant.body.key.key as string;
    const kb = await a.t.call("POST", "/v1/knowledge-bases", {
      key,
      body: { name: "Lighthouses", language: "en" },
    });
    await indexDocument(a.t.deps.database, a.fx, {
      tenantId: tenant.body.tenant.id,
      kbId: kb.body.id,
      title: "Keeper's log",
      chunks: [{ text: "The lighthouse keeper lights the lamp at dusk every evening.", pageStart: 1 }],
    });
    orgs.push({ key, kb: kb.body.id });
  }
  const r = await a.t.call("POST", "/v1/platform/plugins", {
    body: { folder: resolve("fixtures/plugins/echo-chat") },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
}, 120_000);
afterAll(async () => {
  a.t.deps.plugins?.close();
  await a?.close();
});

describe("chat-provider plugins as models (issue 19)", () => {
  it("an enabled chat provider is listed for its organization only, and answers asks through the sandbox", async () => {
    const [mine, other] = orgs as [(typeof orgs)[0], (typeof orgs)[0]];
    expect(await modelIds(mine.key)).not.toContain("plugin:echo-chat");
    expect((await setEcho(mine.key, { enabled: true, config: { prefix: "Echo:" } })).status).toBe(200);
    const listed = (await a.t.call("GET", "/v1/models", { key: mine.key })).body;
    expect(listed.data.find((m: { id: string }) => m.id === "plugin:echo-chat")).toMatchObject({
      provider: "plugin",
      price: { input_per_million_micros: 0, output_per_million_micros: 0 },
      default: false,
    });
    expect(await modelIds(other.key)).not.toContain("plugin:echo-chat");

    const r = await ask(a.t, mine.key, {
      question: "When does the keeper light the lamp?",
      knowledge_base_ids: [mine.kb],
      models: ["plugin:echo-chat"],
      stream: false,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.answers[0]).toMatchObject({ model: "plugin:echo-chat", error: null });
    expect(r.body.answers[0].text).toMatch(/^Echo: /);
    expect(r.body.answers[0].usage).toMatchObject({ output_tokens: 7 });

    // A conversation may name it too; its turns go through the same sandboxed call.
    const conv = await a.t.call("POST", "/v1/conversations", {
      key: mine.key,
      body: { knowledge_base_ids: [mine.kb], models: ["plugin:echo-chat"] },
    });
    expect(conv.status, JSON.stringify(conv.body)).toBe(201);
    const turn = await a.t.call("POST", `/v1/conversations/${conv.body.id}/messages`, {
      key: mine.key,
      body: { question: "Who lights the lamp?", stream: false },
    });
    expect(turn.status, JSON.stringify(turn.body)).toBe(200);
    expect(JSON.stringify(turn.body)).toContain("Echo: ");

    const refused = await ask(a.t, other.key, {
      question: "When does the keeper light the lamp?",
      knowledge_base_ids: [other.kb],
      models: ["plugin:echo-chat"],
      stream: false,
    });
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe("validation_failed");
  }, 60_000);

  it("a failing provider fails its own answer; the deployment's model beside it still answers", async () => {
    const [mine] = orgs as [(typeof orgs)[0]];
    expect((await setEcho(mine.key, { enabled: true, config: { fail: true } })).status).toBe(200);
    const r = await ask(a.t, mine.key, {
      question: "When does the keeper light the lamp?",
      knowledge_base_ids: [mine.kb],
      models: ["plugin:echo-chat", "extractive"],
      stream: false,
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const [plugin, extractive] = r.body.answers;
    expect(plugin.error.message).toContain("told to fail");
    expect(extractive.error).toBeNull();
    expect(extractive.text).toContain("dusk");
    expect((await setEcho(mine.key, { enabled: false })).status).toBe(200);
    expect(await modelIds(mine.key)).not.toContain("plugin:echo-chat");
  }, 60_000);
});
