import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documents, documentVersions } from "../../src/db/schema.js";
import { newId } from "../../src/ids.js";
import { documentEventBus } from "../../src/services/documents/event-bus.js";
import { createTestApp, type TestApp } from "../helpers/app.js";
import { type DbKind, openTestDatabase, type TestDatabase } from "../helpers/database.js";

const STREAMS = 500;

async function seedProcessing(t: TestApp, tenantKey: string, n: number) {
  const kb = await t.call("POST", "/v1/knowledge-bases", { key: tenantKey, body: { name: "Docs" } });
  const tenantId = await tenantOf(t, kb.body.id);
  const ids: { doc: string; version: string }[] = [];
  for (let i = 0; i < n; i++) {
    const doc = newId("doc");
    const version = newId("ver");
    await t.deps.database.db.insert(documents).values({
      id: doc,
      tenantId,
      kbId: kb.body.id,
      title: `Doc ${i}`,
      filename: `doc-${i}.txt`,
      latestVersionId: version,
    });
    await t.deps.database.db.insert(documentVersions).values({
      id: version,
      documentId: doc,
      tenantId,
      kbId: kb.body.id,
      sha256: doc,
      format: "text",
      sizeBytes: 10,
      blobKey: doc,
      status: "processing",
    });
    ids.push({ doc, version });
  }
  return ids;
}

async function tenantOf(t: TestApp, kbId: string): Promise<string> {
  const { knowledgeBases } = await import("../../src/db/schema.js");
  const [kb] = await t.deps.database.db.select().from(knowledgeBases).where(eq(knowledgeBases.id, kbId));
  return kb!.tenantId;
}

/** Opens an SSE stream and resolves once its first event arrived; `events` keeps every chunk read. */
async function openStream(base: string, key: string, docId: string, ac: AbortController) {
  const res = await fetch(`${base}/v1/documents/${docId}/events`, {
    headers: { authorization: `Bearer ${key}` },
    signal: ac.signal,
  });
  if (res.status !== 200) return { status: res.status, body: await res.json(), text: Promise.resolve("") };
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const first = await reader.read();
  buffer += decoder.decode(first.value);
  const text = (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return buffer;
        buffer += decoder.decode(value);
      }
    } catch {
      return buffer;
    }
  })();
  return { status: 200, body: null, first: buffer, text };
}

describe.each<DbKind>(["pglite", "postgres"])("document event streams on %s", (kind) => {
  let db: TestDatabase;
  let t: TestApp;
  let server: ReturnType<typeof serve>;
  let base: string;

  beforeAll(async () => {
    db = await openTestDatabase(kind);
    t = await createTestApp(
      db,
      {},
      { MAX_STREAMS_PER_KEY: "500", MAX_STREAMS_PER_TENANT: "520", RATE_LIMIT_PER_MINUTE: "0" },
    );
    server = serve({ fetch: t.app.fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise((r) => server.once("listening", r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 120_000);
  afterAll(async () => {
    (server as unknown as import("node:http").Server | undefined)?.closeAllConnections();
    await new Promise((r) => server?.close(r));
    await db?.cleanup();
  });

  it("pushes a change to the document's streams from the database notification", async () => {
    const tenant = await t.newTenant("Push");
    const [d] = await seedProcessing(t, tenant.adminKey, 1);
    const ac = new AbortController();
    const s = await openStream(base, tenant.adminKey, d!.doc, ac);
    expect(s.status).toBe(200);
    expect(s.first).toContain("event: progress");
    const started = performance.now();
    await t.deps.database.db
      .update(documentVersions)
      .set({ status: "ready", chunks: 3 })
      .where(eq(documentVersions.id, d!.version));
    const text = await s.text;
    // Well before the 15 s keep-alive re-read: the notification woke it.
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(text).toContain("event: ready");
    ac.abort();
  }, 60_000);

  if (kind === "pglite") {
    it(`holds ${STREAMS} streams, pushes to the right ones, caps streams per key and tenant`, async () => {
      const tenant = await t.newTenant("Many");
      const docs = await seedProcessing(t, tenant.adminKey, 50);
      const ac = new AbortController();
      const opened = [];
      for (let i = 0; i < STREAMS; i += 50) {
        opened.push(
          ...(await Promise.all(
            Array.from({ length: 50 }, (_, j) =>
              openStream(base, tenant.adminKey, docs[(i + j) % docs.length]!.doc, ac),
            ),
          )),
        );
      }
      expect(opened.every((s) => s.status === 200)).toBe(true);
      expect(documentEventBus(t.deps).size).toBeGreaterThanOrEqual(STREAMS);

      // The key's cap, then the tenant's, each named in the 429.
      const overKey = await openStream(base, tenant.adminKey, docs[0]!.doc, ac);
      expect(overKey.status).toBe(429);
      expect(overKey.body).toMatchObject({ code: "rate_limited", cap: "MAX_STREAMS_PER_KEY", limit: 500 });
      const other = await t.newKey(tenant.adminKey, ["query"]);
      const more = await Promise.all(
        Array.from({ length: 20 }, () => openStream(base, other.key, docs[1]!.doc, ac)),
      );
      expect(more.every((s) => s.status === 200)).toBe(true);
      const overTenant = await openStream(base, other.key, docs[1]!.doc, ac);
      expect(overTenant.status).toBe(429);
      expect(overTenant.body).toMatchObject({ cap: "MAX_STREAMS_PER_TENANT", limit: 520 });

      // Liveness answers while they are held (its latency is measured by `npm run bench:streams`).
      for (let i = 0; i < 20; i++) expect((await fetch(`${base}/healthz`)).status).toBe(200);

      // A change reaches exactly that document's streams while all the others stay open.
      await t.deps.database.db
        .update(documentVersions)
        .set({ status: "failed", errorCode: "corrupt" })
        .where(eq(documentVersions.id, docs[7]!.version));
      const ended = await Promise.all(opened.filter((_, i) => i % docs.length === 7).map((s) => s.text));
      expect(ended.every((x) => x.includes("event: failed"))).toBe(true);
      ac.abort();
      // Closing the streams gives their slots back.
      await expect.poll(() => documentEventBus(t.deps).size, { timeout: 10_000 }).toBe(0);
      const again = await openStream(base, tenant.adminKey, docs[0]!.doc, new AbortController());
      expect(again.status).toBe(200);
    }, 120_000);
  }
});
