import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AskTestApp, ask, seedGeography, startAskTestApp } from "../helpers/ask-app.js";

/**
 * The key-rights matrix: a key restricted to one knowledge base (and one with fewer scopes) can neither
 * create, read, list nor revoke keys beyond its own rights, sees audit and usage only for what it may
 * see, cannot take the tenant's last unrestricted admin key, and the platform can issue a recovery key.
 */
describe("key rights", () => {
  let a: AskTestApp;
  let geo: Awaited<ReturnType<typeof seedGeography>>;
  let kbA: string;
  let kbB: string;
  let restricted: { id: string; key: string };

  beforeAll(async () => {
    a = await startAskTestApp("pglite");
    geo = await seedGeography(a, "Rights");
    kbA = geo.kbId;
    const b = await a.t.call("POST", "/v1/knowledge-bases", {
      key: geo.adminKey,
      body: { name: "Secret plans", language: "en" },
    });
    kbB = b.body.id;
    restricted = await a.t.newKey(geo.adminKey, ["admin"], { knowledge_base_ids: [kbA] });
  }, 120_000);
  afterAll(async () => a?.close());

  const keysOf = async (key: string) =>
    (await a.t.call("GET", "/v1/keys", { key })).body.data as { id: string }[];

  it("a restricted admin key creates only keys within its own rights", async () => {
    const wider = [
      { knowledge_base_ids: null },
      { knowledge_base_ids: [kbB] },
      { knowledge_base_ids: [kbA, kbB] },
    ];
    for (const extra of wider) {
      const r = await a.t.call("POST", "/v1/keys", {
        key: restricted.key,
        body: { name: "wider", scopes: ["query"], ...extra },
      });
      expect(r.status, JSON.stringify(extra)).toBe(403);
      expect(r.body.detail).toMatch(/within its own rights/);
    }
    const ok = await a.t.call("POST", "/v1/keys", {
      key: restricted.key,
      body: { name: "narrow", scopes: ["query"], knowledge_base_ids: [kbA] },
    });
    expect(ok.status).toBe(201);
    // An expiring key cannot create one that outlives it.
    const expiring = await a.t.newKey(geo.adminKey, ["admin"], {
      knowledge_base_ids: [kbA],
      expires_at: "2099-01-01T00:00:00Z",
    });
    const longer = await a.t.call("POST", "/v1/keys", {
      key: expiring.key,
      body: { name: "forever", scopes: ["query"], knowledge_base_ids: [kbA] },
    });
    expect(longer.status).toBe(403);
    expect(longer.body.detail).toMatch(/expiry/);
  });

  it("lists, reads and revokes only keys within its rights; broader keys are not found", async () => {
    const root = (await keysOf(geo.adminKey)).find((k) => k.id !== restricted.id)!;
    const other = await a.t.newKey(geo.adminKey, ["query"], { knowledge_base_ids: [kbB] });
    const mine = await a.t.newKey(geo.adminKey, ["query"], { knowledge_base_ids: [kbA] });
    const seen = (await keysOf(restricted.key)).map((k) => k.id);
    expect(seen).toContain(mine.id);
    expect(seen).toContain(restricted.id);
    expect(seen).not.toContain(other.id);
    expect(seen).not.toContain(root.id);
    for (const id of [other.id, root.id]) {
      expect((await a.t.call("GET", `/v1/keys/${id}`, { key: restricted.key })).status).toBe(404);
      expect((await a.t.call("DELETE", `/v1/keys/${id}`, { key: restricted.key })).status).toBe(404);
    }
    expect((await a.t.call("GET", `/v1/keys/${mine.id}`, { key: restricted.key })).status).toBe(200);
    expect((await a.t.call("DELETE", `/v1/keys/${mine.id}`, { key: restricted.key })).status).toBe(200);
    // The root key still works: nothing was revoked by the restricted key.
    expect((await a.t.call("GET", "/v1/keys", { key: geo.adminKey })).status).toBe(200);
    // Keys without the admin scope manage no keys at all.
    const query = await a.t.newKey(geo.adminKey, ["query", "ingest"]);
    expect((await a.t.call("GET", "/v1/keys", { key: query.key })).status).toBe(403);
    expect((await a.t.call("DELETE", `/v1/keys/${root.id}`, { key: query.key })).status).toBe(403);
  });

  it("filters audit and usage to the knowledge bases the key may see", async () => {
    // Activity on both knowledge bases.
    await a.t.call("PATCH", `/v1/knowledge-bases/${kbB}`, {
      key: geo.adminKey,
      body: { description: "private" },
    });
    await a.t.call("PATCH", `/v1/knowledge-bases/${kbA}`, {
      key: geo.adminKey,
      body: { description: "shared" },
    });
    const audit = await a.t.call("GET", "/v1/audit?limit=200", { key: restricted.key });
    expect(audit.status).toBe(200);
    const text = JSON.stringify(audit.body.data);
    expect(text).not.toContain(kbB);
    expect(text).toContain(kbA);
    for (const e of audit.body.data) expect(e.action).not.toBe("tenant.create");
    const full = await a.t.call("GET", "/v1/audit?limit=200", { key: geo.adminKey });
    expect(JSON.stringify(full.body.data)).toContain(kbB);

    // Usage: the root key asks about kbA (visible) and a kbB-only key asks about kbB (hidden).
    const onB = await a.t.newKey(geo.adminKey, ["query"], { knowledge_base_ids: [kbB] });
    expect(
      (
        await ask(a.t, geo.adminKey, {
          question: "capital of France?",
          knowledge_base_ids: [kbA],
          models: ["alpha"],
        })
      ).status,
    ).toBe(200);
    expect(
      (await ask(a.t, onB.key, { question: "plans?", knowledge_base_ids: [kbB], models: ["alpha"] })).status,
    ).toBe(200);
    const usage = await a.t.call("GET", "/v1/usage?group_by=key", { key: restricted.key });
    expect(usage.status).toBe(200);
    const groups = usage.body.data.map((r: { group: string }) => r.group);
    expect(groups).not.toContain(onB.id);
    const all = await a.t.call("GET", "/v1/usage?group_by=key", { key: geo.adminKey });
    expect(all.body.data.map((r: { group: string }) => r.group)).toContain(onB.id);
    expect((await a.t.call("GET", `/v1/usage?key_id=${onB.id}`, { key: restricted.key })).status).toBe(404);
  });

  it("never lets the tenant lose its last unrestricted admin key, and the platform can recover a tenant", async () => {
    const t = await a.t.newTenant("Lonely");
    const keys = await keysOf(t.adminKey);
    expect(keys).toHaveLength(1);
    const self = await a.t.call("DELETE", `/v1/keys/${keys[0]!.id}`, { key: t.adminKey });
    expect(self.status).toBe(409);
    expect(self.body.detail).toMatch(/last admin key/);

    // With a second unrestricted admin key, one of them may go.
    const second = await a.t.newKey(t.adminKey, ["admin"]);
    expect((await a.t.call("DELETE", `/v1/keys/${keys[0]!.id}`, { key: second.key })).status).toBe(200);
    expect((await a.t.call("DELETE", `/v1/keys/${second.id}`, { key: second.key })).status).toBe(409);

    // Recovery: only the platform admin, audited in the tenant's log, and the key works.
    const denied = await a.t.call("POST", `/v1/tenants/${t.tenantId}/keys`, { key: second.key, body: {} });
    expect(denied.status).toBe(403);
    expect((await a.t.call("POST", "/v1/tenants/ten_missing/keys", { body: {} })).status).toBe(404);
    const rec = await a.t.call("POST", `/v1/tenants/${t.tenantId}/keys`, {
      body: { reason: "admin lost their laptop" },
    });
    expect(rec.status).toBe(201);
    expect(rec.body.scopes).toEqual(["admin"]);
    expect(rec.body.knowledge_base_ids).toBeNull();
    const recovered = rec.body.key as string;
    expect((await a.t.call("GET", "/v1/keys", { key: recovered })).status).toBe(200);
    const audit = await a.t.call("GET", "/v1/audit?action=key.recover", { key: recovered });
    expect(audit.body.data).toHaveLength(1);
    expect(audit.body.data[0]).toMatchObject({
      resource_id: rec.body.id,
      detail: { reason: "admin lost their laptop" },
    });
    // Now the old admin key may be revoked: the recovery key is another unrestricted admin.
    expect((await a.t.call("DELETE", `/v1/keys/${second.id}`, { key: recovered })).status).toBe(200);
  });
});
