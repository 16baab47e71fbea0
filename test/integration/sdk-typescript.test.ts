import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AiHub, AiHubError, type AskEvent } from "../../src/sdk/typescript/src/index.js";
import { FIXTURES } from "../helpers/ingest.js";
import { spawnTs } from "../helpers/process.js";
import { SDK_PROFILES, type SdkServer, startSdkServer } from "../helpers/sdk-server.js";

const PDF = `${FIXTURES}pdf/pdfjs_tracemonkey.pdf`;

/** The TypeScript SDK (src/sdk/typescript) and its examples against the real app over HTTP. */
describe.each(SDK_PROFILES)("TypeScript SDK against a live server (%s)", (profile) => {
  let server: SdkServer;
  let http: { baseURL: string };
  let adminKey: string;
  let hub: AiHub;

  beforeAll(async () => {
    server = await startSdkServer(profile);
    http = { baseURL: server.baseURL };
    adminKey = server.adminKey;
    hub = new AiHub({ baseURL: server.baseURL, apiKey: adminKey });
  }, 180_000);
  afterAll(async () => {
    await server?.close();
  });

  let kbId: string;
  let docId: string;

  it("manages knowledge bases and pages through them", async () => {
    const kb = await hub.knowledgeBases.create({ name: "Papers" });
    kbId = kb.id;
    expect((await hub.knowledgeBases.get(kb.id)).name).toBe("Papers");
    expect((await hub.knowledgeBases.update(kb.id, { name: "Papers 2" })).name).toBe("Papers 2");
    const extra = await hub.knowledgeBases.create({ name: "Scratch" });
    const names: string[] = [];
    // limit 1 makes the iterator follow next_cursor across pages.
    for await (const k of hub.knowledgeBases.list({ limit: 1 })) names.push(k.name);
    expect(names).toEqual(expect.arrayContaining(["Papers 2", "Scratch", "Docs"]));
    await hub.knowledgeBases.delete(extra.id);
  });

  it("uploads a PDF by path and follows its events until ready", async () => {
    const accepted = await hub.documents.upload(kbId, PDF, { metadata: { kind: "paper" } });
    docId = accepted.id;
    const ready = await hub.documents.waitUntilReady(accepted.id);
    expect(ready.status).toBe("ready");
    const listed = [];
    for await (const d of hub.documents.list(kbId)) listed.push(d.id);
    expect(listed).toEqual([docId]);
  }, 120_000);

  it("uploads a Blob and raw bytes with a filename, and refuses bytes without one", async () => {
    const kb = await hub.knowledgeBases.create({ name: "Blobs" });
    const text = "# Notes\n\nThe blob upload path works in browsers and Workers too.\n";
    const blob = await hub.documents.upload(kb.id, new Blob([text]), { filename: "notes.md" });
    const bytes = await hub.documents.upload(kb.id, new TextEncoder().encode(`${text}Bytes.\n`), {
      filename: "bytes.md",
    });
    expect((await hub.documents.waitUntilReady(blob.id)).filename).toBe("notes.md");
    expect((await hub.documents.waitUntilReady(bytes.id)).filename).toBe("bytes.md");
    await expect(hub.documents.upload(kb.id, new Uint8Array([1]))).rejects.toThrow(/filename/);
    await hub.knowledgeBases.delete(kb.id);
  }, 60_000);

  it("searches, and streams an answer as typed events with cited pages", async () => {
    const found = await hub.search({ query: "trace tree", knowledge_base_ids: [kbId], top_k: 3 });
    expect(found.data[0]).toMatchObject({ document_id: docId });
    expect(typeof found.data[0]!.page_start).toBe("number");

    const types: AskEvent["type"][] = [];
    let text = "";
    for await (const e of await hub.ask({ question: "What is a trace tree?", knowledge_base_ids: [kbId] })) {
      types.push(e.type);
      if (e.type === "delta") text += e.data.text;
    }
    expect(types[0]).toBe("sources");
    expect(types.at(-1)).toBe("done");
    expect(types).toContain("usage");
    expect(text).toMatch(/\[\d+\]/);

    const final = await (
      await hub.ask({ question: "What is a trace tree?", knowledge_base_ids: [kbId] })
    ).finalAnswers();
    expect(final.answers[0]!.text).toMatch(/\[\d+\]/);
    expect(final.cited.length).toBeGreaterThan(0);
    expect(final.cited.every((c) => typeof c.page_start === "number" && c.document_id === docId)).toBe(true);
    expect(final.done.cost_usd).toMatch(/^\d+\.\d{6}$/);
  });

  it("holds a conversation whose follow-up is answered from the same paper", async () => {
    const conversation = await hub.conversations.create({ knowledge_base_ids: [kbId] });
    const first = await hub.conversations.send(conversation.id, { question: "What is a trace tree?" });
    expect(first.messageId).toMatch(/\S/);
    expect((await first.finalAnswers()).answers[0]!.text.length).toBeGreaterThan(0);
    const chunks: string[] = [];
    for await (const t of (
      await hub.conversations.send(conversation.id, { question: "And nested loops?" })
    ).textStream())
      chunks.push(t);
    expect(chunks.join("").length).toBeGreaterThan(0);
    const { conversation: stored, messages } = await hub.conversations.get(conversation.id);
    expect(stored.message_count).toBe(4);
    expect(messages).toHaveLength(4);
  });

  it("reads usage and manages keys", async () => {
    const usage = await hub.usage.get({ group_by: "model" });
    expect(usage.data.length).toBeGreaterThan(0);
    const created = await hub.keys.create({ name: "bot", scopes: ["query"] });
    expect((await hub.keys.list()).data.map((k) => k.id)).toContain(created.id);
    await hub.keys.revoke(created.id);
    const revoked = new AiHub({ baseURL: http.baseURL, apiKey: created.key, maxRetries: 0 });
    await expect(revoked.knowledgeBases.get(kbId)).rejects.toMatchObject({ status: 401 });
  });

  it("throws AiHubError with the problem fields, and names invalid fields", async () => {
    const missing = await hub.documents.get("doc_missing").catch((e) => e);
    expect(missing).toBeInstanceOf(AiHubError);
    expect(missing).toMatchObject({ status: 404, code: "not_found" });
    expect(missing.requestId).toMatch(/^req_/);
    const invalid = await hub.search({ query: "", knowledge_base_ids: [kbId] }).catch((e) => e);
    expect(invalid).toMatchObject({ status: 400, code: "validation_failed" });
    expect(invalid.errors.map((e: { field: string }) => e.field)).toContain("query");
  });

  it("retries a 429 after Retry-After, then succeeds", async () => {
    let calls = 0;
    const flaky = new AiHub({
      baseURL: http.baseURL,
      apiKey: adminKey,
      // The first answer is a rate limit with Retry-After: 0; the retry goes to the real server.
      fetch: async (input, init) => {
        calls++;
        if (calls === 1) return new Response("{}", { status: 429, headers: { "retry-after": "0" } });
        return fetch(input, init);
      },
    });
    expect((await flaky.knowledgeBases.get(kbId)).id).toBe(kbId);
    expect(calls).toBe(2);
  });

  it("shows SDK samples on the native operations in /openapi.json, calling methods the SDK has", async () => {
    const doc = (await (await fetch(`${http.baseURL}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { "x-codeSamples"?: { lang: string; source: string }[] }>>;
    };
    for (const [path, method] of [
      ["/v1/ask", "post"],
      ["/v1/search", "post"],
      ["/v1/knowledge-bases", "post"],
      ["/v1/knowledge-bases/{id}/documents", "post"],
    ] as const) {
      const samples = doc.paths[path]![method]!["x-codeSamples"]!;
      expect(samples.map((x) => x.lang)).toEqual(["curl", "TypeScript", "Python"]);
      for (const [, group, fn] of samples[1]!.source.matchAll(/hub\.(\w+)(?:\.(\w+))?\(/g)) {
        const target = (hub as unknown as Record<string, Record<string, unknown>>)[group!]!;
        expect(typeof (fn ? target[fn] : target), `${group}.${fn}`).toBe("function");
      }
    }
  });

  it("runs the examples against the server", async () => {
    const env = { AIHUB_BASE_URL: http.baseURL, AIHUB_API_KEY: adminKey };
    const ask = spawnTs("src/sdk/typescript/examples/ask-a-pdf.ts", env, [PDF]);
    expect(await ask.exited, ask.output()).toBe(0);
    expect(ask.output()).toMatch(/sources found/);
    expect(ask.output()).toMatch(/cost: \$\d+\.\d{6}/);
    const convo = spawnTs("src/sdk/typescript/examples/conversation.ts", env, [kbId]);
    expect(await convo.exited, convo.output()).toBe(0);
    expect(convo.output()).toMatch(/\[\d+\] .*page \d+/);
  }, 120_000);
});
