import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fixture } from "../helpers/ingest.js";
import { type OpenAIStub, startOpenAIStub } from "../helpers/openai-stub.js";
import { type Spawned, spawnTs } from "../helpers/process.js";

/**
 * A realistic run of the real server with every log level on: sign-up, e-mail verification, sign-in
 * (and a wrong password), API keys (and a wrong key), an upload, asks through a provider whose key is
 * in config. Then every byte the process wrote is searched for the secrets it handled.
 */
const PROVIDER_KEY = "sk-stub-provider-9f3c2a7b1e5d4c8a";
const ADMIN_KEY = "platform_admin_key_for_log_test_0123456789";
const PASSWORD = "amber-thistle-quarry-77";
const WRONG_PASSWORD = "wrong-password-lighthouse-31";
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

describe("logs of a full run hold no secrets", () => {
  let root: string;
  let stub: OpenAIStub;
  let server: Spawned;
  afterAll(async () => {
    server?.child.kill("SIGKILL");
    await stub?.close();
    if (root) await rm(root, { recursive: true, force: true });
  });

  it("never writes provider keys, API keys, key hashes, session ids, CSRF tokens or passwords", {
    timeout: 180_000,
  }, async () => {
    root = await mkdtemp(join(tmpdir(), "aihub-logs-"));
    stub = await startOpenAIStub({ answer: "Trace trees record hot loops [1]." });
    server = spawnTs("src/server.ts", {
      DATA_DIR: join(root, "data"),
      PORT: "0",
      HOST: "127.0.0.1",
      LOG_LEVEL: "trace",
      ADMIN_API_KEY: ADMIN_KEY,
      STUB_PROVIDER_KEY: PROVIDER_KEY,
      PROVIDERS_JSON: JSON.stringify([{ id: "stub", baseURL: stub.baseURL, apiKeyEnv: "STUB_PROVIDER_KEY" }]),
      MODELS_JSON: JSON.stringify([
        { id: "stub-gpt", provider: "stub", upstream: "stub-ok", price: { input: 2, output: 5 } },
      ]),
      DEFAULT_MODEL: "stub-gpt",
      RATE_LIMIT_PER_MINUTE: "0",
      BLOB_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString("base64")}`,
    });
    const [, base] = await server.waitFor(/listening on (http:\/\/localhost:\d+)/, 120_000);
    let cookie = "";
    let csrf = "";
    const call = async (method: string, path: string, opts: { key?: string; body?: unknown } = {}) => {
      const headers: Record<string, string> = {};
      if (opts.key) headers.authorization = `Bearer ${opts.key}`;
      else if (cookie) {
        headers.cookie = cookie;
        if (method !== "GET") headers["x-csrf-token"] = csrf;
      }
      let body: BodyInit | undefined;
      if (opts.body instanceof FormData) body = opts.body;
      else if (opts.body !== undefined) {
        body = JSON.stringify(opts.body);
        headers["content-type"] = "application/json";
      }
      const res = await fetch(`${base}${path}`, { method, headers, body });
      const set = res.headers.get("set-cookie");
      if (set?.startsWith("aih_session=")) cookie = set.split(";")[0]!;
      const json = (await res.json().catch(() => null)) as any;
      if (json?.session?.csrf_token) csrf = json.session.csrf_token;
      if (typeof json?.csrf_token === "string") csrf = json.csrf_token;
      return { status: res.status, body: json };
    };

    // A person: sign-up, the verification link (logged, since SMTP_URL is unset), sign-in.
    const email = "ada@example.com";
    expect((await call("POST", "/v1/auth/sign-up", { body: { email, password: PASSWORD } })).status).toBe(
      201,
    );
    const [, link] = await server.waitFor(/Open the link instead: (\S+)/);
    const token = new URL(link!).searchParams.get("token")!;
    expect((await call("POST", "/v1/auth/email/verify", { body: { token } })).status).toBe(200);
    expect(
      (await call("POST", "/v1/auth/sign-in", { body: { email, password: WRONG_PASSWORD } })).status,
    ).toBe(401);
    const signIn = await call("POST", "/v1/auth/sign-in", { body: { email, password: PASSWORD } });
    expect(signIn.status).toBe(200);
    const sessionId = cookie.split("=")[1]!;
    expect(sessionId.length).toBeGreaterThan(10);

    // Keys: a tenant through the platform key, an ingest and an ask key; a wrong key once.
    const tenant = await call("POST", "/v1/tenants", { key: ADMIN_KEY, body: { name: "Acme" } });
    expect(tenant.status).toBe(201);
    const tenantKey = tenant.body.key.key as string;
    const kb = await call("POST", "/v1/knowledge-bases", { key: tenantKey, body: { name: "Docs" } });
    const ingestKey = (
      await call("POST", "/v1/keys", { key: tenantKey, body: { name: "in", scopes: ["ingest"] } })
    ).body.key as string;
    const askKey = (
      await call("POST", "/v1/keys", { key: tenantKey, body: { name: "ask", scopes: ["query"] } })
    ).body.key as string;
    expect((await call("GET", "/v1/knowledge-bases", { key: `${tenantKey.slice(0, -4)}zzzz` })).status).toBe(
      401,
    );

    // An upload and asks through the provider.
    const form = new FormData();
    form.set("file", new File([Buffer.from(await fixture("markdown/qdrant_README.md"))], "qdrant.md"));
    const up = await call("POST", `/v1/knowledge-bases/${kb.body.id}/documents`, {
      key: ingestKey,
      body: form,
    });
    expect(up.status).toBe(202);
    for (let i = 0; ; i++) {
      const d = await call("GET", `/v1/documents/${up.body.id}`, { key: ingestKey });
      if (d.body.status === "ready") break;
      expect(i).toBeLessThan(600);
      await new Promise((r) => setTimeout(r, 100));
    }
    const ask = await call("POST", "/v1/ask", {
      key: askKey,
      body: { question: "What is Qdrant?", knowledge_base_ids: [kb.body.id] },
    });
    expect(ask.status, JSON.stringify(ask.body)).toBe(200);
    expect(stub.requests.some((r) => String(r.headers.authorization).includes(PROVIDER_KEY))).toBe(true);
    expect((await call("POST", "/v1/auth/sign-out")).status).toBeLessThan(300);

    server.child.kill("SIGTERM");
    await server.exited;
    const logs = server.output();
    expect(logs).toMatch(/"msg":"request"/);
    const secrets: Record<string, string> = {
      "provider key": PROVIDER_KEY,
      "platform admin key": ADMIN_KEY,
      "tenant admin key": tenantKey,
      "ingest key": ingestKey,
      "ask key": askKey,
      "tenant key hash": sha256(tenantKey),
      "ingest key hash": sha256(ingestKey),
      "platform key hash": sha256(ADMIN_KEY),
      password: PASSWORD,
      "wrong password": WRONG_PASSWORD,
      "session id": sessionId,
      "session id hash": sha256(sessionId),
      "CSRF token": csrf,
    };
    for (const [name, value] of Object.entries(secrets)) {
      expect(value, name).toBeTruthy();
      expect(logs.includes(value), `${name} appears in the logs`).toBe(false);
    }
  });
});
