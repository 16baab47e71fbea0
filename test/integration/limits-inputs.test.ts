import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app.js";
import { createLogger } from "../../src/logger.js";
import { type AskTestApp, seedGeography, startAskTestApp } from "../helpers/ask-app.js";

/** Rate limits on every route (weighted), failed-auth throttling, the text guard, dates, and logs. */
describe("limits and inputs", () => {
  let a: AskTestApp;
  let geo: Awaited<ReturnType<typeof seedGeography>>;
  const logLines: string[] = [];
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    a = await startAskTestApp("pglite", {
      models: null,
      env: { RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: "3", TRUST_PROXY: "true" },
    });
    geo = await seedGeography(a, "Limits");
    // The same deps with a logger writing into memory, to read what gets logged.
    const sink = new Writable({
      write(chunk, _enc, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    app = createApp({ ...a.t.deps, logger: createLogger({ LOG_LEVEL: "debug" }, sink) });
  }, 120_000);
  afterAll(async () => a?.close());

  const req = (path: string, init: { key?: string; method?: string; body?: unknown; ip?: string } = {}) =>
    app.request(path, {
      method: init.method ?? "GET",
      headers: {
        ...(init.key ? { authorization: `Bearer ${init.key}` } : {}),
        ...(init.body !== undefined ? { "content-type": "application/json" } : {}),
        "x-forwarded-for": init.ip ?? "203.0.113.7",
      },
      ...(init.body !== undefined
        ? { body: typeof init.body === "string" ? init.body : JSON.stringify(init.body) }
        : {}),
    });

  it("counts key creation as 10 units and an eval run as its searches", async () => {
    const admin = await a.t.newKey(geo.adminKey, ["admin"], { rate_limit_per_minute: 25 });
    for (let i = 0; i < 2; i++) {
      const r = await a.t.call("POST", "/v1/keys", {
        key: admin.key,
        body: { name: `k${i}`, scopes: ["query"] },
      });
      expect(r.status).toBe(201);
    }
    const third = await a.t.call("POST", "/v1/keys", {
      key: admin.key,
      body: { name: "k3", scopes: ["query"] },
    });
    expect(third.status).toBe(429);
    expect(third.body.request_cost).toBe(10);

    const questions = Array.from({ length: 6 }, (_, i) => ({
      question: `Capital of France? (${i})`,
      expected: [{ document_id: geo.france.documentId }],
    }));
    expect(
      (
        await a.t.call("POST", `/v1/knowledge-bases/${geo.kbId}/evals`, {
          key: geo.adminKey,
          body: { questions },
        })
      ).status,
    ).toBe(201);
    const runner = await a.t.newKey(geo.adminKey, ["query"], { rate_limit_per_minute: 5 });
    const run = await a.t.call("POST", `/v1/knowledge-bases/${geo.kbId}/evals/run`, {
      key: runner.key,
      body: {},
    });
    expect(run.status).toBe(429);
    expect(run.body.request_cost).toBe(6);
    const roomy = await a.t.newKey(geo.adminKey, ["query"], { rate_limit_per_minute: 10 });
    const ok = await a.t.call("POST", `/v1/knowledge-bases/${geo.kbId}/evals/run`, {
      key: roomy.key,
      body: {},
    });
    expect(ok.status).toBe(201);
    expect(ok.headers.get("ratelimit-remaining")).toBe("4");
  });

  it("throttles failed authentication per client address", async () => {
    for (let i = 0; i < 3; i++)
      expect((await req("/v1/keys", { key: "aih_bad", ip: "198.51.100.1" })).status).toBe(401);
    const blocked = await req("/v1/keys", { key: "aih_bad", ip: "198.51.100.1" });
    expect(blocked.status).toBe(429);
    expect(((await blocked.json()) as { detail: string }).detail).toMatch(
      /RATE_LIMIT_AUTH_FAILURES_PER_MINUTE/,
    );
    // Even a valid key waits out the block from that address; other addresses are unaffected.
    expect((await req("/v1/keys", { key: geo.adminKey, ip: "198.51.100.1" })).status).toBe(429);
    expect((await req("/v1/keys", { key: geo.adminKey, ip: "198.51.100.2" })).status).toBe(200);
    expect((await req("/v1/keys", { key: "aih_bad", ip: "198.51.100.2" })).status).toBe(401);
  });

  it("rejects NUL and unpaired surrogates in bodies, queries and paths with 400 naming the field", async () => {
    const cases: [string, Parameters<typeof req>[1], string][] = [
      ["/v1/knowledge-bases", { method: "POST", body: '{"name":"a\\u0000b"}' }, "name"],
      ["/v1/knowledge-bases", { method: "POST", body: '{"name":"a\\ud800b"}' }, "name"],
      [
        "/v1/knowledge-bases",
        { method: "POST", body: '{"name":"x","description":"\\udc00"}' },
        "description",
      ],
      [
        "/v1/search",
        { method: "POST", body: { query: "x", knowledge_base_ids: ["kb_\u0000"] } },
        "knowledge_base_ids.0",
      ],
      [
        "/v1/search",
        {
          method: "POST",
          body: {
            query: "x",
            knowledge_base_ids: [geo.kbId],
            filter: { must: [{ key: "a\u0000", match: { value: "x" } }] },
          },
        },
        "filter.must.0.key",
      ],
      ["/v1/keys?cursor=%00", {}, "cursor"],
      ["/v1/audit?action=key%00create", {}, "action"],
      ["/v1/usage?key_id=key_%00", {}, "key_id"],
      ["/v1/keys/key_%00abc", { method: "DELETE" }, "path"],
      ["/v1/documents/doc_%ED%A0%80", {}, "path"],
    ];
    for (const [path, init, field] of cases) {
      const r = await req(path, { key: geo.adminKey, ...init });
      const body = (await r.json()) as { code: string; errors?: { field: string }[] };
      expect(r.status, path).toBe(400);
      expect(body.code).toBe("validation_failed");
      expect(body.errors?.[0]?.field, path).toBe(field);
    }
    // Upload form fields and file names go through the same check.
    const form = new FormData();
    form.set("file", new File(["hello"], "a\u0000.txt", { type: "text/plain" }));
    form.set("metadata", '{"team":"x\\u0000"}');
    const up = await app.request(`/v1/knowledge-bases/${geo.kbId}/documents`, {
      method: "POST",
      headers: { authorization: `Bearer ${geo.adminKey}`, "x-forwarded-for": "203.0.113.9" },
      body: form,
    });
    expect(up.status).toBe(400);
  });

  it("answers 400 for dates out of range", async () => {
    for (const q of [
      "from=9999-12-31",
      "from=0000-01-01",
      "to=9999-12-31&from=9999-12-01",
      "from=2025-02-31",
    ]) {
      const r = await req(`/v1/usage?${q}`, { key: geo.adminKey });
      expect(r.status, q).toBe(400);
    }
    expect((await req("/v1/usage?from=2026-01-01&to=2026-01-31", { key: geo.adminKey })).status).toBe(200);
  });

  it("never logs keys, key hashes or credentials in query strings", async () => {
    const { hashKey } = await import("../../src/auth/keys.js");
    logLines.length = 0;
    await req(`/v1/keys?api_key=${geo.adminKey}`, { key: geo.adminKey });
    await req("/v1/keys", { key: `${geo.adminKey}x` });
    // An error whose message carries a key, its hash and a URL with a token, as driver errors do.
    const logger = createLogger(
      { LOG_LEVEL: "debug" },
      new Writable({
        write(chunk, _e, done) {
          logLines.push(String(chunk));
          done();
        },
      }),
    );
    const err = new Error(
      `Failed query: select * from api_keys where hash = $1\nparams: ${hashKey(geo.adminKey)}`,
    );
    logger.error(
      { err, url: `https://x.test/cb?token=${geo.adminKey}` },
      `calling https://x.test/?api_key=secret123`,
    );
    const all = logLines.join("");
    expect(all.length).toBeGreaterThan(0);
    expect(all).not.toContain(geo.adminKey);
    expect(all).not.toContain(hashKey(geo.adminKey));
    expect(all).not.toContain("secret123");
    expect(all).toContain("[redacted]");
  });
});
