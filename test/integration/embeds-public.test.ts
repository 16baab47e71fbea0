import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CreatedEmbed } from "../../src/routes/embeds/crud.js";
import { signVisitorToken } from "../../src/services/embeds/visitor-token.js";
import { type AskTestApp, parseSse, startAskTestApp } from "../helpers/ask-app.js";
import { seedSupport } from "../helpers/support-seed.js";

const SITE = "https://shop.example.com";

describe("embeds and the public widget endpoints", () => {
  let a: AskTestApp;
  let s: Awaited<ReturnType<typeof seedSupport>>;

  beforeAll(async () => {
    a = await startAskTestApp("pglite", { models: null });
    s = await seedSupport(a);
  });
  afterAll(async () => a?.close());

  const createEmbed = async (extra: Record<string, unknown> = {}) => {
    const r = await a.t.call("POST", "/v1/embeds", {
      key: s.adminKey,
      body: {
        name: "Help bot",
        knowledge_base_ids: [s.kbId],
        allowed_origins: [SITE, "*.example.org"],
        ...extra,
      },
    });
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    return r.body as CreatedEmbed;
  };
  const pub = async (
    method: string,
    path: string,
    opts: { origin?: string | null; body?: unknown; headers?: Record<string, string> } = {},
  ) => {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.origin !== null) headers.origin = opts.origin ?? SITE;
    if (opts.body !== undefined) headers["content-type"] = "application/json";
    const res = await a.t.app.request(`/v1/public/embeds${path}`, {
      method,
      headers,
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
    });
    const text = await res.text();
    let body: any = text;
    try {
      body = JSON.parse(text);
    } catch {}
    return { status: res.status, headers: res.headers, body, text };
  };
  const start = async (embedId: string, headers: Record<string, string> = {}) => {
    const r = await pub("POST", `/${embedId}/conversations`, {
      body: { visitor_id: "visitor_0001" },
      headers,
    });
    return r;
  };

  it("admin CRUD: secret shown once, snippet, validation, other tenant 404, query key 403", async () => {
    const e = await createEmbed({ starter_questions: ["How do I reset the router?"], monthly_budget_usd: 5 });
    expect(e.id).toMatch(/^emb_/);
    expect(e.signing_secret).toMatch(/^embsec_/);
    expect(e.snippet).toBe(
      `<script src="http://localhost/widget.js" data-embed-id="${e.id}" async></script>`,
    );
    expect(e.template).toBe("support-bot");
    const got = await a.t.call("GET", `/v1/embeds/${e.id}`, { key: s.adminKey });
    expect(got.body.signing_secret).toBeUndefined();
    expect(got.body).toMatchObject({ monthly_budget_micros: 5_000_000, monthly_budget_usd: "5.000000" });
    const list = await a.t.call("GET", "/v1/embeds", { key: s.adminKey });
    expect(list.body.data.map((x: { id: string }) => x.id)).toContain(e.id);
    const upd = await a.t.call("PATCH", `/v1/embeds/${e.id}`, {
      key: s.adminKey,
      body: { greeting: "Hello!", theme: { primary_color: "#112233" } },
    });
    expect(upd.body).toMatchObject({ greeting: "Hello!", theme: { primary_color: "#112233" } });

    const bad = await a.t.call("POST", "/v1/embeds", {
      key: s.adminKey,
      body: { name: "x", knowledge_base_ids: [s.kbId], allowed_origins: ["https://ok.example.com/path"] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe("allowed_origins.0");
    const other = await a.t.newTenant("Other");
    expect((await a.t.call("GET", `/v1/embeds/${e.id}`, { key: other.adminKey })).status).toBe(404);
    const foreignKb = await a.t.call("POST", "/v1/embeds", {
      key: other.adminKey,
      body: { name: "x", knowledge_base_ids: [s.kbId], allowed_origins: [SITE] },
    });
    expect(foreignKb.status).toBe(404);
    const q = await a.t.newKey(s.adminKey, ["query"]);
    expect((await a.t.call("GET", "/v1/embeds", { key: q.key })).status).toBe(403);
    expect((await a.t.call("DELETE", `/v1/embeds/${e.id}`, { key: s.adminKey })).status).toBe(204);
    expect((await pub("GET", `/${e.id}`)).status).toBe(404);
  });

  it("origin: allowed exact and wildcard get CORS for themselves only; foreign or missing get 403", async () => {
    const e = await createEmbed();
    const ok = await pub("GET", `/${e.id}`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("access-control-allow-origin")).toBe(SITE);
    const wild = await pub("GET", `/${e.id}`, { origin: "https://help.example.org" });
    expect(wild.status).toBe(200);
    const httpWild = await pub("GET", `/${e.id}`, { origin: "http://help.example.org" });
    expect(httpWild.status).toBe(403);
    const foreign = await pub("GET", `/${e.id}`, { origin: "https://evil.test" });
    expect(foreign.status).toBe(403);
    expect(foreign.body.code).toBe("origin_not_allowed");
    expect(foreign.body.detail).toContain("https://evil.test");
    expect(foreign.headers.get("access-control-allow-origin")).toBeNull();
    const none = await pub("POST", `/${e.id}/conversations`, { origin: null, body: {} });
    expect(none.status).toBe(403);
    expect(none.body.detail).toMatch(/Origin header is missing/);
    const pre = await pub("OPTIONS", `/${e.id}/conversations`, {
      headers: { "access-control-request-method": "POST" },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-headers")).toContain("x-visitor-token");
    const preForeign = await pub("OPTIONS", `/${e.id}/conversations`, { origin: "https://evil.test" });
    expect(preForeign.status).toBe(403);
    expect(preForeign.headers.get("access-control-allow-origin")).toBeNull();
    // The API-key routes keep their own CORS; the public prefix never answers "*".
    expect(ok.headers.get("access-control-allow-origin")).not.toBe("*");
  });

  it("a visitor chats, streamed, with citations; reaches only its own conversation; feedback lands in transcripts", async () => {
    const e = await createEmbed();
    const st = await start(e.id);
    expect(st.status).toBe(201);
    const { conversation_id: cid, conversation_token: token } = st.body;
    const msg = await pub("POST", `/${e.id}/conversations/${cid}/messages`, {
      body: { question: "How do I reset the router?" },
      headers: { "x-conversation-token": token },
    });
    expect(msg.status).toBe(200);
    expect(msg.headers.get("access-control-allow-origin")).toBe(SITE);
    expect(msg.headers.get("access-control-expose-headers")).toContain("x-message-id");
    const events = parseSse(msg.text);
    expect(events[0]!.data.sources[0]).toMatchObject({ title: "Router manual", page_start: 4 });
    expect(events.at(-1)!.event).toBe("done");
    const mid = msg.headers.get("x-message-id")!;

    // wrong token, other embed: not found
    const wrong = await pub("POST", `/${e.id}/conversations/${cid}/messages`, {
      body: { question: "hi" },
      headers: { "x-conversation-token": "nope" },
    });
    expect(wrong.status).toBe(404);
    const e2 = await createEmbed();
    const cross = await pub("POST", `/${e2.id}/conversations/${cid}/messages`, {
      body: { question: "hi" },
      headers: { "x-conversation-token": token },
    });
    expect(cross.status).toBe(404);

    const fb = await pub("POST", `/${e.id}/conversations/${cid}/messages/${mid}/feedback`, {
      body: { rating: "down", comment: "=too short" },
      headers: { "x-conversation-token": token },
    });
    expect(fb.status).toBe(204);
    const tr = await a.t.call("GET", `/v1/embeds/${e.id}/conversations`, { key: s.adminKey });
    expect(tr.status).toBe(200);
    const t = tr.body.data[0];
    expect(t.conversation).toMatchObject({ id: cid, visitor_id: "visitor_0001", message_count: 2 });
    expect(t.messages[1]).toMatchObject({ id: mid, feedback: "down", feedback_comment: "=too short" });
    expect(t.messages[1].citations.length).toBeGreaterThan(0);
    const csv = await a.t.app.request(`/v1/embeds/${e.id}/conversations?format=csv`, {
      headers: { authorization: `Bearer ${s.adminKey}` },
    });
    const text = await csv.text();
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(text.split("\r\n")[0]).toBe(
      "conversation_id,visitor_id,message_id,created_at,role,content,citations,feedback,feedback_comment,model,cost_usd",
    );
    expect(text).toContain("Router manual p. 4");
    expect(text).toContain(",down,'=too short,");
  });

  it("signed mode: missing, wrong and expired tokens refused; a valid one works and binds the visitor", async () => {
    const e = await createEmbed({ signed_visitors_only: true });
    const now = Math.floor(Date.now() / 1000);
    const missing = await start(e.id);
    expect(missing.status).toBe(401);
    expect(missing.body).toMatchObject({ code: "visitor_token_invalid", reason: "missing" });
    const tok = (claims: Record<string, unknown>, secret = e.signing_secret) =>
      signVisitorToken({ embed_id: e.id, visitor_id: "user-42", exp: now + 600, ...claims } as never, secret);
    const expired = await start(e.id, { "x-visitor-token": tok({ exp: now - 5 }) });
    expect(expired.body.reason).toBe("expired");
    const wrong = await start(e.id, { "x-visitor-token": tok({}, "embsec_wrong") });
    expect(wrong.body.reason).toBe("bad_signature");
    const tooLong = await start(e.id, { "x-visitor-token": tok({ exp: now + 7200 }) });
    expect(tooLong.body.reason).toBe("too_long");
    const good = await start(e.id, { "x-visitor-token": tok({}) });
    expect(good.status).toBe(201);
    expect(good.body.visitor_id).toBe("user-42");
    // Another signed visitor cannot use user-42's conversation even with its token.
    const other = await pub("POST", `/${e.id}/conversations/${good.body.conversation_id}/messages`, {
      body: { question: "How do I reset the router?", stream: false },
      headers: {
        "x-visitor-token": tok({ visitor_id: "user-43" }),
        "x-conversation-token": good.body.conversation_token,
      },
    });
    expect(other.status).toBe(404);
  });

  it("caps and budget: 429 cap_reached naming the cap, 402 when the budget is used up", async () => {
    const e = await createEmbed({
      max_messages_per_conversation: 1,
      max_conversations_per_visitor_per_day: 2,
    });
    const st = await start(e.id);
    const send = () =>
      pub("POST", `/${e.id}/conversations/${st.body.conversation_id}/messages`, {
        body: { question: "How do I reset the router?", stream: false },
        headers: { "x-conversation-token": st.body.conversation_token },
      });
    expect((await send()).status).toBe(200);
    const capped = await send();
    expect(capped.status).toBe(429);
    expect(capped.body).toMatchObject({ code: "cap_reached", cap: "messages_per_conversation", limit: 1 });
    expect(capped.headers.get("access-control-allow-origin")).toBe(SITE);
    expect((await start(e.id)).status).toBe(201);
    const third = await start(e.id);
    expect(third.status).toBe(429);
    expect(third.body.cap).toBe("conversations_per_visitor_per_day");

    const daily = await createEmbed({ max_messages_per_day: 1 });
    const d1 = await start(daily.id);
    const d2 = await start(daily.id);
    const ask = (st2: typeof d1) =>
      pub("POST", `/${daily.id}/conversations/${st2.body.conversation_id}/messages`, {
        body: { question: "How do I reset the router?", stream: false },
        headers: { "x-conversation-token": st2.body.conversation_token },
      });
    expect((await ask(d1)).status).toBe(200);
    expect((await ask(d2)).body.cap).toBe("messages_per_day");

    const broke = await createEmbed({ monthly_budget_usd: 0 });
    const b = await start(broke.id);
    expect(b.status).toBe(402);
    expect(b.body).toMatchObject({ code: "budget_exceeded", cap: "monthly_budget" });
  });
});
