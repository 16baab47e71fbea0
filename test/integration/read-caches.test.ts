import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { keyCache } from "../../src/auth/key-cache.js";
import { openPostgres } from "../../src/db/postgres.js";
import { searchKbCache } from "../../src/services/knowledge-bases/kb-cache.js";
import { createTestApp, type TestApp } from "../helpers/app.js";
import { type AskTestApp, seedGeography, startAskTestApp } from "../helpers/ask-app.js";
import { openTestDatabase, TEST_DATABASE_URL, type TestDatabase } from "../helpers/database.js";

/** Polls until `check` holds: a notification crosses processes in milliseconds, not at once. */
async function eventually(check: () => Promise<boolean>, ms = 3000): Promise<number> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > ms) throw new Error(`not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return Date.now() - start;
}

/**
 * API key lookups are cached per process and dropped by NOTIFY (migration 0016). These tests run two
 * "API processes" (two apps, each with its own pool, cache and listening connection) on one
 * PostgreSQL schema, and change rights through the other process, through SQL, and with the
 * listening connection killed: a change must never leave a key working.
 */
describe("API key cache across processes (PostgreSQL LISTEN/NOTIFY)", () => {
  let database: TestDatabase;
  let other: ReturnType<typeof openPostgres>;
  let a: TestApp;
  let b: TestApp;
  let sql: pg.Client;

  beforeAll(async () => {
    database = await openTestDatabase("postgres");
    other = openPostgres({ url: TEST_DATABASE_URL, searchPath: database.schema!, poolMax: 2 });
    a = await createTestApp(database);
    b = await createTestApp(other);
    sql = new pg.Client({
      connectionString: TEST_DATABASE_URL,
      options: `-c search_path=${database.schema}`,
    });
    await sql.connect();
  });
  afterAll(async () => {
    await sql.end();
    await other.close();
    await database.cleanup();
  });

  async function warm(app: TestApp, key: string) {
    // The first request starts LISTEN; requests after it is up fill the cache.
    const cache = keyCache(app.deps)!;
    await eventually(async () => {
      expect((await app.call("GET", "/v1/knowledge-bases", { key })).status).toBe(200);
      return cache.active && cache.size > 0;
    });
  }

  it("serves repeated requests from the cache, and a revocation in another process ends the key there", async () => {
    const { adminKey } = await a.newTenant("Cache Co");
    const reader = await a.newKey(adminKey, ["query"]);
    await warm(a, reader.key);
    const before = keyCache(a.deps)!.size;
    expect(before).toBeGreaterThan(0);

    expect((await b.call("DELETE", `/v1/keys/${reader.id}`, { key: adminKey })).status).toBe(200);
    const ms = await eventually(
      async () => (await a.call("GET", "/v1/knowledge-bases", { key: reader.key })).status === 401,
    );
    console.log(`revocation through process B refused by process A after ${ms} ms`);
    // In B, which made the change, it holds on the very next request.
    expect((await b.call("GET", "/v1/knowledge-bases", { key: reader.key })).status).toBe(401);
  });

  it("a revocation in the same process holds on the very next request", async () => {
    const { adminKey } = await a.newTenant("Same Process");
    const reader = await a.newKey(adminKey, ["query"]);
    await warm(a, reader.key);
    expect((await a.call("DELETE", `/v1/keys/${reader.id}`, { key: adminKey })).status).toBe(200);
    expect((await a.call("GET", "/v1/knowledge-bases", { key: reader.key })).status).toBe(401);
  });

  it("changes made in SQL, outside any API process, reach the cache (a suspension, changed scopes)", async () => {
    const { tenantId, adminKey } = await a.newTenant("Outside Change");
    await warm(a, adminKey);
    await sql.query("insert into tenant_suspensions (tenant_id, reason) values ($1, 'by hand')", [tenantId]);
    const ms = await eventually(
      async () => (await a.call("GET", "/v1/knowledge-bases", { key: adminKey })).status === 403,
    );
    console.log(`suspension written in SQL refused after ${ms} ms`);
    await sql.query("delete from tenant_suspensions where tenant_id = $1", [tenantId]);
    await eventually(
      async () => (await a.call("GET", "/v1/knowledge-bases", { key: adminKey })).status === 200,
    );

    await sql.query(
      "update api_keys set expires_at = now() + interval '1 hour', scopes = '{query}' where tenant_id = $1",
      [tenantId],
    );
    await eventually(
      async () =>
        (await a.call("POST", "/v1/knowledge-bases", { key: adminKey, body: { name: "x" } })).status === 403,
    );
  });

  it("with its listening connection killed, the process reads every key from the database until it listens again", async () => {
    const { adminKey } = await a.newTenant("Lost Listener");
    const reader = await a.newKey(adminKey, ["query"]);
    await warm(a, reader.key);
    const cache = keyCache(a.deps)!;
    const killed = await sql.query(
      "select pg_terminate_backend(pid) from pg_stat_activity where query like 'LISTEN \"aihub_auth_changed\"%' and pid <> pg_backend_pid()",
    );
    expect(killed.rowCount).toBeGreaterThan(0);
    await eventually(async () => !cache.active);
    expect(cache.size).toBe(0);
    // No listener now: a change made elsewhere must still hold on the next request.
    await sql.query("update api_keys set revoked_at = now() where id = $1", [reader.id]);
    expect((await a.call("GET", "/v1/knowledge-bases", { key: reader.key })).status).toBe(401);
    expect((await a.call("GET", "/v1/knowledge-bases", { key: adminKey })).status).toBe(200);
  });
});

describe("API key cache in the embedded profile (PGlite)", () => {
  let database: TestDatabase;
  let app: TestApp;
  beforeAll(async () => {
    database = await openTestDatabase("pglite");
    app = await createTestApp(database);
  });
  afterAll(async () => database.cleanup());

  it("caches lookups and drops them when a key is revoked or its org suspended", async () => {
    const { tenantId, adminKey } = await app.newTenant("Embedded");
    const reader = await app.newKey(adminKey, ["query"]);
    const cache = keyCache(app.deps)!;
    for (let i = 0; i < 3; i++)
      expect((await app.call("GET", "/v1/knowledge-bases", { key: reader.key })).status).toBe(200);
    expect(cache.active).toBe(true);
    expect(cache.size).toBeGreaterThan(0);
    expect((await app.call("DELETE", `/v1/keys/${reader.id}`, { key: adminKey })).status).toBe(200);
    expect((await app.call("GET", "/v1/knowledge-bases", { key: reader.key })).status).toBe(401);
    expect(
      (await app.call("POST", `/v1/platform/organizations/${tenantId}/suspend`, { body: {} })).status,
    ).toBeLessThan(300);
    expect((await app.call("GET", "/v1/knowledge-bases", { key: adminKey })).status).toBe(403);
  });

  it("READ_CACHE_SECONDS=0 turns the caches off", async () => {
    const off = await createTestApp(database, {}, { READ_CACHE_SECONDS: "0" });
    expect(keyCache(off.deps)).toBeNull();
    expect(searchKbCache.of(off.deps)).toBeNull();
  });
});

/**
 * A search's first read (its knowledge bases, with the versions it must not search) is cached the
 * same way, on its own channel, and only while nothing in those knowledge bases is hidden.
 */
describe("knowledge-base cache of searches across processes (PostgreSQL LISTEN/NOTIFY)", () => {
  let a: AskTestApp;
  let other: ReturnType<typeof openPostgres>;
  let b: TestApp;
  let sql: pg.Client;
  let geo: Awaited<ReturnType<typeof seedGeography>>;

  beforeAll(async () => {
    a = await startAskTestApp("postgres");
    const schema = (a.t.deps.database as TestDatabase).schema!;
    other = openPostgres({ url: TEST_DATABASE_URL, searchPath: schema, poolMax: 2 });
    b = await createTestApp(other, { vectors: a.fx.vectors, embedder: a.fx.embedder });
    sql = new pg.Client({ connectionString: TEST_DATABASE_URL, options: `-c search_path=${schema}` });
    await sql.connect();
    geo = await seedGeography(a);
  });
  afterAll(async () => {
    await sql.end();
    await other.close();
    await a.close();
  });

  const search = (t: TestApp) =>
    t.call("POST", "/v1/search", {
      key: geo.adminKey,
      body: { query: "capital of France", knowledge_base_ids: [geo.kbId] },
    });
  const docs = (r: { body: { data: { document_id: string }[] } }) => r.body.data.map((x) => x.document_id);

  it("keeps a knowledge base with nothing indexing, drops it on any change, and never keeps one that hides a version", async () => {
    const cache = searchKbCache.of(a.t.deps)!;
    await eventually(async () => {
      expect((await search(a.t)).status).toBe(200);
      return cache.active && cache.size > 0;
    });

    // Another process edits the knowledge base: the notification empties this process's cache.
    const patched = await b.call("PATCH", `/v1/knowledge-bases/${geo.kbId}`, {
      key: geo.adminKey,
      body: { description: "European capitals" },
    });
    expect(patched.status).toBe(200);
    await eventually(async () => cache.size === 0);

    // A version stops being ready (as during a re-index), written outside any API process: the
    // search hides it at once after the notification, and the entry is not kept while it is hidden.
    expect(docs(await search(a.t))).toContain(geo.france.documentId);
    expect(cache.size).toBeGreaterThan(0);
    await sql.query("update document_versions set status = 'indexing' where id = $1", [geo.france.versionId]);
    await eventually(async () => !docs(await search(a.t)).includes(geo.france.documentId));
    expect(cache.size).toBe(0);
    await sql.query("update document_versions set status = 'ready' where id = $1", [geo.france.versionId]);
    await eventually(async () => docs(await search(a.t)).includes(geo.france.documentId));
  });

  it("a knowledge base deleted in the same process is gone on the very next search", async () => {
    const kb = await a.t.call("POST", "/v1/knowledge-bases", {
      key: geo.adminKey,
      body: { name: "Short-lived" },
    });
    const body = (id: string) => ({ query: "anything", knowledge_base_ids: [id] });
    await eventually(async () => {
      expect(
        (await a.t.call("POST", "/v1/search", { key: geo.adminKey, body: body(kb.body.id) })).status,
      ).toBe(200);
      return searchKbCache.of(a.t.deps)!.size > 0;
    });
    expect(
      (await a.t.call("DELETE", `/v1/knowledge-bases/${kb.body.id}`, { key: geo.adminKey })).status,
    ).toBe(200);
    expect((await a.t.call("POST", "/v1/search", { key: geo.adminKey, body: body(kb.body.id) })).status).toBe(
      404,
    );
  });
});
