import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usageLedger } from "../../src/db/schema.js";
import type { EmbeddingsRequest } from "../../src/routes/embeddings/create.js";
import type { ListModelsResult } from "../../src/routes/models/list.js";
import type { ConfigurePluginRequest } from "../../src/routes/plugins/org.js";
import { type AskTestApp, startAskTestApp } from "../helpers/ask-app.js";

/**
 * Embedder plugins on the OpenAI-compatible surface (issue 19): an organization that enables one sees
 * it in GET /v1/models → embedding_models as `plugin:<id>` and may embed with it in POST
 * /v1/embeddings (the plugin's own vectors, from its sandbox); other organizations neither see nor
 * use it.
 */
let a: AskTestApp;
const orgs: { key: string; tenantId: string }[] = [];
const MODEL = "plugin:tiny-embedder";

const models = async (key: string) => (await a.t.call("GET", "/v1/models", { key })).body as ListModelsResult;
const embeddings = (key: string, body: EmbeddingsRequest) =>
  a.t.call("POST", "/v1/embeddings", { key, body });

/** The fixture's own function, run in this process: what the sandbox must have answered. */
async function expectedVectors(texts: string[]): Promise<number[][]> {
  const url = pathToFileURL(resolve("fixtures/plugins/tiny-embedder/index.mjs")).href;
  const mod = (await import(url)) as {
    embed(input: { texts: string[] }, host: { config: object }): Promise<{ vectors: number[][] }>;
  };
  return (await mod.embed({ texts }, { config: {} })).vectors;
}

beforeAll(async () => {
  a = await startAskTestApp("pglite", {
    models: null,
    env: { PLUGINS_DIR: mkdtempSync(join(tmpdir(), "aihub-plugins-")) },
  });
  for (const name of ["Embedding", "Plain"]) {
    const tenant = await a.t.call("POST", "/v1/tenants", { body: { name } });
    orgs.push({ key: tenant.body.key.key as string, tenantId: tenant.body.tenant.id as string });
  }
  const r = await a.t.call("POST", "/v1/platform/plugins", {
    body: { folder: resolve("fixtures/plugins/tiny-embedder") },
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
}, 120_000);
afterAll(async () => {
  a.t.deps.plugins?.close();
  await a?.close();
});

describe("embedder plugins in /v1/models and /v1/embeddings (issue 19)", () => {
  it("lists an enabled embedder plugin for its organization only, and embeds with it", async () => {
    const [mine, other] = orgs as [(typeof orgs)[0], (typeof orgs)[0]];
    const before = await models(mine.key);
    const deployment = before.embedding_model;
    expect(before.embedding_models).toEqual(deployment ? [deployment] : []);
    const enabled = await a.t.call("PUT", "/v1/plugins/tiny-embedder", {
      key: mine.key,
      body: { enabled: true, config: {} } satisfies ConfigurePluginRequest,
    });
    expect(enabled.status, JSON.stringify(enabled.body)).toBe(200);

    const listed = await models(mine.key);
    expect(listed.embedding_models).toEqual([...(deployment ? [deployment] : []), MODEL]);
    // Chat models stay chat models: an embedder is not offered to /v1/ask.
    expect(listed.data.map((m) => m.id)).not.toContain(MODEL);
    expect((await models(other.key)).embedding_models).not.toContain(MODEL);

    const texts = ["The lighthouse keeper lights the lamp at dusk.", "Tides turn twice a day."];
    const r = await embeddings(mine.key, { model: MODEL, input: texts });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.model).toBe(MODEL);
    expect(r.body.data.map((d: { embedding: number[] }) => d.embedding)).toEqual(
      await expectedVectors(texts),
    );
    expect(r.body.usage).toMatchObject({ cost_micros: 0, usage_source: "estimated" });
    expect(r.body.usage.prompt_tokens).toBeGreaterThan(0);
    const rows = await a.t.deps.database.db
      .select()
      .from(usageLedger)
      .where(and(eq(usageLedger.tenantId, mine.tenantId), eq(usageLedger.model, MODEL)));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kind: "embedding", costMicros: 0 });

    // base64 carries the same float32 values; dimensions must match the plugin's 64.
    const b64 = await embeddings(mine.key, { model: MODEL, input: "Tides", encoding_format: "base64" });
    const bytes = Buffer.from(b64.body.data[0].embedding as string, "base64");
    expect(bytes.length).toBe(64 * 4);
    const wrong = await embeddings(mine.key, { model: MODEL, input: "Tides", dimensions: 32 });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors[0]).toMatchObject({ field: "dimensions", message: "must be 64" });

    for (const model of [MODEL, "plugin:no-such-plugin"]) {
      const refused = await embeddings(other.key, { model, input: "Tides" });
      expect(refused.status, model).toBe(400);
      expect(refused.body.errors[0].field).toBe("model");
      expect(refused.body.detail).toContain("no embedder plugin");
    }
  });

  it("a plugin disabled again is no longer listed nor used", async () => {
    const [mine] = orgs as [(typeof orgs)[0]];
    const off = await a.t.call("PUT", "/v1/plugins/tiny-embedder", {
      key: mine.key,
      body: { enabled: false } satisfies ConfigurePluginRequest,
    });
    expect(off.status, JSON.stringify(off.body)).toBe(200);
    expect((await models(mine.key)).embedding_models).not.toContain(MODEL);
    expect((await embeddings(mine.key, { model: MODEL, input: "Tides" })).status).toBe(400);
  });
});
