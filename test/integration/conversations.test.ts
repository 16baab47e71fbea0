import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { conversations, usageLedger } from "../../src/db/schema.js";
import type { SendMessageResult } from "../../src/routes/conversations/send.js";
import { type AskTestApp, parseSse, startAskTestApp } from "../helpers/ask-app.js";
import { seedSupport } from "../helpers/support-seed.js";

const REWRITTEN = "How long does resetting the router take?";

describe("conversations", () => {
  let a: AskTestApp;
  let s: Awaited<ReturnType<typeof seedSupport>>;

  beforeAll(async () => {
    a = await startAskTestApp("pglite", { stub: { answer: REWRITTEN } });
    s = await seedSupport(a);
  });
  afterAll(async () => a?.close());

  const start = async (models: string[], key = s.adminKey) => {
    const r = await a.t.call("POST", "/v1/conversations", {
      key,
      body: { knowledge_base_ids: [s.kbId], models },
    });
    expect(r.status).toBe(201);
    return r.body.id as string;
  };
  const send = async (id: string, question: string, key = s.adminKey) => {
    const r = await a.t.call("POST", `/v1/conversations/${id}/messages`, {
      key,
      body: { question, stream: false },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return r.body as SendMessageResult;
  };

  it("without the rewrite, the follow-up alone retrieves the wrong passage", async () => {
    const r = await a.t.call("POST", "/v1/search", {
      key: s.adminKey,
      body: { query: "and how long does it take?", knowledge_base_ids: [s.kbId], top_k: 3 },
    });
    expect(r.status).toBe(200);
    expect(r.body.data[0].document_id).toBe(s.shipping.documentId);
  });

  it("offline rewrite: the follow-up retrieves the router reset page through the earlier question", async () => {
    const id = await start(["extractive"]);
    const first = await send(id, "How do I reset the router?");
    expect(first.sources[0]).toMatchObject({ document_id: s.router.documentId, page_start: 4 });
    const follow = await send(id, "and how long does it take?");
    expect(follow.sources[0]).toMatchObject({ document_id: s.router.documentId, page_start: 4 });
    expect(follow.answers[0]!.text).toContain("two minutes");

    const h = await a.t.call("GET", `/v1/conversations/${id}`, { key: s.adminKey });
    expect(h.status).toBe(200);
    expect(h.body.messages.map((m: { role: string }) => m.role)).toEqual([
      "user",
      "assistant",
      "user",
      "assistant",
    ]);
    expect(h.body.messages[0]).toMatchObject({ rewrite_method: "none", query: "How do I reset the router?" });
    expect(h.body.messages[2].rewrite_method).toBe("offline");
    expect(h.body.messages[2].query).toMatch(/reset/);
    expect(h.body.messages[3]).toMatchObject({ id: follow.assistant_message_id, model: "extractive" });
    expect(h.body.messages[3].sources[0].title).toBe("Router manual");
    expect(h.body.conversation.message_count).toBe(4);
  });

  it("model rewrite: the configured model writes the standalone query, billed in the ledger", async () => {
    const id = await start(["alpha"]);
    await send(id, "How do I reset the router?");
    const before = await a.t.deps.database.db
      .select()
      .from(usageLedger)
      .where(eq(usageLedger.model, "alpha"));
    const follow = await send(id, "and how long does it take?");
    expect(follow.sources[0]).toMatchObject({ document_id: s.router.documentId, page_start: 4 });
    const h = await a.t.call("GET", `/v1/conversations/${id}`, { key: s.adminKey });
    expect(h.body.messages[2]).toMatchObject({ rewrite_method: "model", query: REWRITTEN });
    const after = await a.t.deps.database.db.select().from(usageLedger).where(eq(usageLedger.model, "alpha"));
    // the rewrite call and the answer call
    expect(after.length - before.length).toBe(2);
    // the stub saw the earlier turns in the answer prompt
    const last = a.stub.requests.at(-1)!.body as { messages: { role: string; content: string }[] };
    expect(last.messages.map((m) => m.role)).toEqual(["system", "user", "assistant", "user"]);
    expect(last.messages[1]!.content).toBe("How do I reset the router?");
  });

  it("streams a turn exactly like /v1/ask and names the stored answer in x-message-id", async () => {
    const id = await start(["extractive"]);
    const res = await a.t.app.request(`/v1/conversations/${id}/messages`, {
      method: "POST",
      headers: { authorization: `Bearer ${s.adminKey}`, "content-type": "application/json" },
      body: JSON.stringify({ question: "How do I reset the router?" }),
    });
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const events = parseSse(await res.text());
    expect(events[0]!.event).toBe("sources");
    expect(events.some((e) => e.event === "delta")).toBe(true);
    expect(events.at(-1)!.event).toBe("done");
    const h = await a.t.call("GET", `/v1/conversations/${id}`, { key: s.adminKey });
    expect(h.body.messages[1].id).toBe(res.headers.get("x-message-id"));
  });

  it("another tenant's key and another query key get 404; missing scope 403", async () => {
    const id = await start(["extractive"]);
    const other = await a.t.newTenant("Other");
    expect((await a.t.call("GET", `/v1/conversations/${id}`, { key: other.adminKey })).status).toBe(404);
    const q = await a.t.newKey(s.adminKey, ["query"]);
    expect((await a.t.call("GET", `/v1/conversations/${id}`, { key: q.key })).status).toBe(404);
    const own = await start(["extractive"], q.key);
    expect((await a.t.call("GET", `/v1/conversations/${own}`, { key: q.key })).status).toBe(200);
    const ingest = await a.t.newKey(s.adminKey, ["ingest"]);
    expect((await a.t.call("GET", `/v1/conversations/${id}`, { key: ingest.key })).status).toBe(403);
    expect((await a.t.call("GET", "/v1/conversations/cnv_missing", { key: s.adminKey })).status).toBe(404);
    const bad = await a.t.call("POST", "/v1/conversations", {
      key: s.adminKey,
      body: { knowledge_base_ids: [s.kbId], models: ["nope"] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe("models.0");
  });

  it("retention per organization: purge deletes conversations older than the setting", async () => {
    const old = await start(["extractive"]);
    const fresh = await start(["extractive"]);
    const db = a.t.deps.database.db;
    await db
      .update(conversations)
      .set({ lastMessageAt: new Date(Date.now() - 3 * 86_400_000) })
      .where(eq(conversations.id, old));
    expect((await a.t.call("GET", "/v1/conversations/retention", { key: s.adminKey })).body).toEqual({
      days: null,
    });
    const put = await a.t.call("PUT", "/v1/conversations/retention", { key: s.adminKey, body: { days: 2 } });
    expect(put.body).toEqual({ days: 2 });
    const purge = await a.t.call("POST", "/v1/conversations/purge", { key: s.adminKey });
    expect(purge.body.deleted).toBe(1);
    expect((await a.t.call("GET", `/v1/conversations/${old}`, { key: s.adminKey })).status).toBe(404);
    expect((await a.t.call("GET", `/v1/conversations/${fresh}`, { key: s.adminKey })).status).toBe(200);
    const q = await a.t.newKey(s.adminKey, ["query"]);
    expect((await a.t.call("POST", "/v1/conversations/purge", { key: q.key })).status).toBe(403);
  });
});
