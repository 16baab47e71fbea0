import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../helpers/app.js";
import { type DbKind, openTestDatabase } from "../helpers/database.js";

const problemShape = (body: any, status: number, code: string) => {
  expect(body).toMatchObject({ status, code });
  expect(typeof body.type).toBe("string");
  expect(typeof body.title).toBe("string");
  expect(typeof body.detail).toBe("string");
  expect(typeof body.requestId).toBe("string");
  expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/); // never a stack trace
};

describe.each<DbKind>(["pglite", "postgres"])("foundation API on %s", (kind) => {
  let t: TestApp;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    const db = await openTestDatabase(kind);
    cleanup = db.cleanup;
    t = await createTestApp(db);
  });
  afterAll(async () => cleanup?.());

  it("creates a tenant whose key creates, lists, updates and deletes a knowledge base", async () => {
    const { adminKey } = await t.newTenant("Acme");
    expect(adminKey).toMatch(/^aih_[0-9a-z]{8}_[0-9a-z]{32}$/);
    const created = await t.call("POST", "/v1/knowledge-bases", {
      key: adminKey,
      body: {
        name: "Manuals",
        description: "All manuals",
        language: "en",
        chunk_size: 300,
        chunk_overlap: 40,
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: "Manuals",
      chunk_size: 300,
      chunk_overlap: 40,
      prompt_template: "qa",
    });
    const id = created.body.id;
    expect(id).toMatch(/^kb_/);

    const list = await t.call("GET", "/v1/knowledge-bases", { key: adminKey });
    expect(list.status).toBe(200);
    expect(list.body.data.map((k: any) => k.id)).toEqual([id]);

    const patched = await t.call("PATCH", `/v1/knowledge-bases/${id}`, {
      key: adminKey,
      body: { prompt_template: "strict", description: "changed" },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      prompt_template: "strict",
      description: "changed",
      name: "Manuals",
    });

    const got = await t.call("GET", `/v1/knowledge-bases/${id}`, { key: adminKey });
    expect(got.body.description).toBe("changed");

    const del = await t.call("DELETE", `/v1/knowledge-bases/${id}`, { key: adminKey });
    expect(del.status).toBe(200);
    expect(del.body).toMatchObject({ id, deleted: true });
    expect((await t.call("GET", `/v1/knowledge-bases/${id}`, { key: adminKey })).status).toBe(404);

    const audit = await t.call("GET", "/v1/audit?limit=10", { key: adminKey });
    expect(audit.status).toBe(200);
    expect(audit.body.data.map((a: any) => a.action)).toEqual([
      "knowledge_base.delete",
      "knowledge_base.update",
      "knowledge_base.create",
      "tenant.create",
    ]);
  });

  it("pages keys and audit entries with a cursor", async () => {
    const { adminKey } = await t.newTenant("Pager");
    for (let i = 0; i < 3; i++) await t.newKey(adminKey, ["query"]);
    const first = await t.call("GET", "/v1/keys?limit=2", { key: adminKey });
    expect(first.body.data).toHaveLength(2);
    expect(first.body.next_cursor).toBeTruthy();
    const second = await t.call("GET", `/v1/keys?limit=2&cursor=${first.body.next_cursor}`, {
      key: adminKey,
    });
    expect(second.body.data).toHaveLength(2);
    expect(second.body.next_cursor).toBeNull();
    const all = [...first.body.data, ...second.body.data].map((k: any) => k.id);
    expect(new Set(all).size).toBe(4);
    // Secrets never come back in listings.
    expect(JSON.stringify(first.body)).not.toMatch(/"key":/);
    const auditPage = await t.call("GET", "/v1/audit?limit=2", { key: adminKey });
    const auditNext = await t.call("GET", `/v1/audit?limit=10&cursor=${auditPage.body.next_cursor}`, {
      key: adminKey,
    });
    expect(auditPage.body.data.length + auditNext.body.data.length).toBe(4); // tenant.create + 3 key.create
  });

  it("rejects missing, unknown, revoked and expired keys with 401", async () => {
    const { adminKey } = await t.newTenant("Keys");
    const none = await t.call("GET", "/v1/knowledge-bases", { key: null });
    expect(none.status).toBe(401);
    problemShape(none.body, 401, "unauthorized");
    const bogus = await t.call("GET", "/v1/knowledge-bases", {
      key: "aih_00000000_00000000000000000000000000000000",
    });
    expect(bogus.status).toBe(401);

    const k = await t.newKey(adminKey, ["query"]);
    expect((await t.call("GET", "/v1/knowledge-bases", { key: k.key })).status).toBe(200);
    const revoked = await t.call("DELETE", `/v1/keys/${k.id}`, { key: adminKey });
    expect(revoked.status).toBe(200);
    expect(revoked.body.revoked_at).toBeTruthy();
    const after = await t.call("GET", "/v1/knowledge-bases", { key: k.key });
    expect(after.status).toBe(401);
    expect(after.body.detail).toMatch(/revoked/);

    const soon = new Date(Date.now() + 1500).toISOString();
    const exp = await t.newKey(adminKey, ["query"], { expires_at: soon });
    expect((await t.call("GET", "/v1/knowledge-bases", { key: exp.key })).status).toBe(200);
    // Wait for the expiry by polling the clock, not a fixed sleep of unknown sufficiency.
    while (Date.now() <= Date.parse(soon)) await new Promise((r) => setTimeout(r, 50));
    const expired = await t.call("GET", "/v1/knowledge-bases", { key: exp.key });
    expect(expired.status).toBe(401);
    expect(expired.body.detail).toMatch(/expired/);

    const past = await t.call("POST", "/v1/keys", {
      key: adminKey,
      body: { name: "x", scopes: ["query"], expires_at: "2001-01-01T00:00:00Z" },
    });
    expect(past.status).toBe(400);
    expect(past.body.errors[0].field).toBe("expires_at");
  });

  it("returns 403 for a missing scope on the tenant's own resources", async () => {
    const { adminKey } = await t.newTenant("Scopes");
    const kb = (await t.call("POST", "/v1/knowledge-bases", { key: adminKey, body: { name: "kb" } })).body;
    const q = await t.newKey(adminKey, ["query"]);
    const cases: [string, string, unknown?][] = [
      ["POST", "/v1/knowledge-bases", { name: "nope" }],
      ["PATCH", `/v1/knowledge-bases/${kb.id}`, { name: "nope" }],
      ["DELETE", `/v1/knowledge-bases/${kb.id}`],
      ["POST", "/v1/keys", { name: "x", scopes: ["admin"] }],
      ["GET", "/v1/keys"],
      ["GET", "/v1/audit"],
    ];
    for (const [method, path, body] of cases) {
      const r = await t.call(method, path, { key: q.key, body });
      expect(r.status, `${method} ${path}`).toBe(403);
      problemShape(r.body, 403, "forbidden");
    }
    // Reading is allowed with any scope.
    expect((await t.call("GET", `/v1/knowledge-bases/${kb.id}`, { key: q.key })).status).toBe(200);
    // A tenant key cannot manage tenants; the platform key cannot touch tenant data.
    expect((await t.call("POST", "/v1/tenants", { key: adminKey, body: { name: "x" } })).status).toBe(403);
    expect((await t.call("GET", "/v1/knowledge-bases")).status).toBe(403);
  });

  it("answers 404 for every resource of another tenant", async () => {
    const a = await t.newTenant("A");
    const b = await t.newTenant("B");
    const kbB = (await t.call("POST", "/v1/knowledge-bases", { key: b.adminKey, body: { name: "secret" } }))
      .body;
    const keyB = await t.newKey(b.adminKey, ["query"]);
    const cases: [string, string, unknown?][] = [
      ["GET", `/v1/knowledge-bases/${kbB.id}`],
      ["PATCH", `/v1/knowledge-bases/${kbB.id}`, { name: "pwned" }],
      ["DELETE", `/v1/knowledge-bases/${kbB.id}`],
      ["DELETE", `/v1/keys/${keyB.id}`],
      ["POST", "/v1/keys", { name: "x", scopes: ["query"], knowledge_base_ids: [kbB.id] }],
    ];
    for (const [method, path, body] of cases) {
      const r = await t.call(method, path, { key: a.adminKey, body });
      expect(r.status, `${method} ${path}`).toBe(404);
      problemShape(r.body, 404, "not_found");
    }
    const listA = await t.call("GET", "/v1/knowledge-bases", { key: a.adminKey });
    expect(listA.body.data.find((k: any) => k.id === kbB.id)).toBeUndefined();
    const keysA = await t.call("GET", "/v1/keys", { key: a.adminKey });
    expect(keysA.body.data.find((k: any) => k.id === keyB.id)).toBeUndefined();
    const auditA = await t.call("GET", "/v1/audit", { key: a.adminKey });
    expect(auditA.body.data.every((e: any) => e.resource_id !== kbB.id)).toBe(true);
    // B's key still works and B's KB is untouched.
    expect((await t.call("GET", `/v1/knowledge-bases/${kbB.id}`, { key: keyB.key })).body.name).toBe(
      "secret",
    );
  });

  it("hides knowledge bases outside a key's restriction", async () => {
    const { adminKey } = await t.newTenant("Restricted");
    const kb1 = (await t.call("POST", "/v1/knowledge-bases", { key: adminKey, body: { name: "one" } })).body;
    const kb2 = (await t.call("POST", "/v1/knowledge-bases", { key: adminKey, body: { name: "two" } })).body;
    const k = await t.newKey(adminKey, ["query"], { knowledge_base_ids: [kb1.id] });
    const list = await t.call("GET", "/v1/knowledge-bases", { key: k.key });
    expect(list.body.data.map((x: any) => x.id)).toEqual([kb1.id]);
    expect((await t.call("GET", `/v1/knowledge-bases/${kb2.id}`, { key: k.key })).status).toBe(404);
  });

  it("names the failing field for bad input and keeps serving", async () => {
    const { adminKey } = await t.newTenant("Input");
    const wrongType = await t.call("POST", "/v1/knowledge-bases", { key: adminKey, body: { name: 42 } });
    expect(wrongType.status).toBe(400);
    problemShape(wrongType.body, 400, "validation_failed");
    expect(wrongType.body.errors[0].field).toBe("name");

    const unknown = await t.call("POST", "/v1/knowledge-bases", {
      key: adminKey,
      body: { name: "x", colour: "red" },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors.map((e: any) => e.field)).toContain("colour");

    const overlap = await t.call("POST", "/v1/knowledge-bases", {
      key: adminKey,
      body: { name: "x", chunk_size: 100, chunk_overlap: 60 },
    });
    expect(overlap.status).toBe(400);
    expect(overlap.body.errors[0].field).toBe("chunk_overlap");

    const malformed = await t.call("POST", "/v1/knowledge-bases", { key: adminKey, body: "{not json" });
    expect(malformed.status).toBe(400);
    problemShape(malformed.body, 400, "bad_request");
    expect(malformed.body.detail).toMatch(/JSON/i);

    const huge = await t.call("POST", "/v1/knowledge-bases", {
      key: adminKey,
      body: { name: "x", description: "y".repeat(2 * 1024 * 1024) },
    });
    expect(huge.status).toBe(413);
    problemShape(huge.body, 413, "payload_too_large");

    const badPage = await t.call("GET", "/v1/knowledge-bases?limit=0", { key: adminKey });
    expect(badPage.status).toBe(400);
    expect(badPage.body.errors[0].field).toBe("limit");

    const noRoute = await t.call("GET", "/v1/nothing-here", { key: adminKey });
    expect(noRoute.status).toBe(404);
    problemShape(noRoute.body, 404, "not_found");

    // Still serving.
    expect((await t.call("GET", "/v1/knowledge-bases", { key: adminKey })).status).toBe(200);
  });

  it("keeps the audit log append-only at the database", async () => {
    const { sql } = await import("drizzle-orm");
    await expect(t.deps.database.db.execute(sql`delete from audit_log`)).rejects.toThrow();
    await expect(t.deps.database.db.execute(sql`update audit_log set action = 'x'`)).rejects.toThrow();
  });
});
