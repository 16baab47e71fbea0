import { eq } from "drizzle-orm";
import OpenAI from "openai";
import type { ResponseStreamEvent } from "openai/resources/responses/responses";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usageLedger } from "../../src/db/schema.js";
import type { ResponseFileCitation } from "../../src/routes/responses/wire.js";
import { type AskTestApp, seedGeography, startAskTestApp } from "../helpers/ask-app.js";
import { STUB_DEFAULT_ANSWER } from "../helpers/openai-stub.js";
import { serveOverHttp } from "../helpers/serve.js";

/** /v1/responses with file_search through the official `openai` package: only baseURL and apiKey change. */
describe("POST /v1/responses with the openai SDK", () => {
  let a: AskTestApp;
  let geo: Awaited<ReturnType<typeof seedGeography>>;
  let http: Awaited<ReturnType<typeof serveOverHttp>>;
  let client: OpenAI;

  beforeAll(async () => {
    a = await startAskTestApp("pglite");
    geo = await seedGeography(a);
    http = await serveOverHttp(a.t.app);
    client = new OpenAI({ baseURL: `${http.baseURL}/v1`, apiKey: geo.adminKey });
  }, 180_000);
  afterAll(async () => {
    await http?.close();
    await a?.close();
  });

  const ledgerRow = async (responseId: string) => {
    const rows = await a.t.deps.database.db
      .select()
      .from(usageLedger)
      .where(eq(usageLedger.requestId, responseId.replace(/^resp_/, "")));
    return rows[0]!;
  };

  it("answers with file_search: search call, file citations with pages, usage = ledger", async () => {
    const r = await client.responses.create({
      model: "alpha",
      input: "What is the capital of France?",
      tools: [{ type: "file_search", vector_store_ids: [geo.kbId] }],
      include: ["file_search_call.results"],
    });
    expect(r.object).toBe("response");
    expect(r.status).toBe("completed");
    expect(r.output_text).toBe(STUB_DEFAULT_ANSWER);
    const [call, msg] = r.output;
    expect(call).toMatchObject({ type: "file_search_call", status: "completed" });
    if (call?.type !== "file_search_call") throw new Error("expected a file_search_call first");
    expect(call.queries[0]).toMatch(/capital of France/);
    expect(call.results?.[0]).toMatchObject({
      file_id: geo.france.documentId,
      attributes: { page_start: 1 },
    });
    if (msg?.type !== "message" || msg.content[0]?.type !== "output_text") throw new Error("expected text");
    const [citation] = msg.content[0].annotations as unknown as ResponseFileCitation[];
    expect(citation).toMatchObject({
      type: "file_citation",
      file_id: geo.france.documentId,
      title: "France guide",
      page_start: 1,
      source_index: 1,
      index: STUB_DEFAULT_ANSWER.indexOf("[1]"),
    });
    const row = await ledgerRow(r.id);
    expect(row).toMatchObject({ kind: "chat", model: "alpha", status: "ok", kbIds: [geo.kbId] });
    expect(r.usage).toMatchObject({
      input_tokens: row.inputTokens,
      output_tokens: row.outputTokens,
      total_tokens: row.inputTokens + row.outputTokens,
    });
  });

  it("streams the Responses event types, annotations with pages, and usage on response.completed", async () => {
    const stream = await client.responses.create({
      model: "alpha",
      input: [{ role: "user", content: "What is the capital of France?" }],
      tools: [{ type: "file_search", vector_store_ids: [geo.kbId] }],
      stream: true,
    });
    const events: ResponseStreamEvent[] = [];
    for await (const e of stream) events.push(e);
    const types = events.map((e) => e.type);
    expect(types.slice(0, 3)).toEqual([
      "response.created",
      "response.in_progress",
      "response.output_item.added",
    ]);
    expect(types).toContain("response.file_search_call.completed");
    expect(types.at(-1)).toBe("response.completed");
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    const text = events.flatMap((e) => (e.type === "response.output_text.delta" ? [e.delta] : [])).join("");
    expect(text).toBe(STUB_DEFAULT_ANSWER);
    const added = events.find((e) => e.type === "response.output_text.annotation.added");
    expect(added?.annotation).toMatchObject({ type: "file_citation", page_start: 1, title: "France guide" });
    const done = events.at(-1);
    if (done?.type !== "response.completed") throw new Error("expected response.completed");
    expect(done.response.output_text).toBe(STUB_DEFAULT_ANSWER);
    const row = await ledgerRow(done.response.id);
    expect(done.response.usage).toMatchObject({
      input_tokens: row.inputTokens,
      output_tokens: row.outputTokens,
    });
  });

  it("filters by attributes, caps results, and rewrites a multi-turn follow-up", async () => {
    const r = await client.responses.create({
      model: "extractive",
      instructions: "Answer briefly.",
      input: [
        { role: "user", content: "Tell me about Poland" },
        { role: "assistant", content: "Poland is in central Europe." },
        { role: "user", content: [{ type: "input_text", text: "Which river flows through its capital?" }] },
      ],
      tools: [
        {
          type: "file_search",
          vector_store_ids: [geo.kbId],
          filters: { type: "eq", key: "region", value: "east" },
          max_num_results: 2,
        },
      ],
      include: ["file_search_call.results"],
    });
    const call = r.output[0];
    if (call?.type !== "file_search_call") throw new Error("expected a file_search_call");
    expect(call.results?.map((x) => x.file_id)).toEqual([geo.poland.documentId]);
    expect(r.output_text).toMatch(/Vistula/);
  });

  it("is plain chat without tools, and refuses what it cannot honour by name", async () => {
    const plain = await client.responses.create({ model: "bravo", input: "echo this back" });
    expect(plain.output.map((o) => o.type)).toEqual(["message"]);
    expect(plain.output_text).toBe("echo this back");
    // The SDK pattern for a next turn without previous_response_id: earlier output goes back as input.
    const grounded = await client.responses.create({
      model: "extractive",
      input: "Tell me about Poland",
      tools: [{ type: "file_search", vector_store_ids: [geo.kbId] }],
    });
    const next = await client.responses.create({
      model: "extractive",
      input: [
        { role: "user", content: "Tell me about Poland" },
        ...(grounded.output as OpenAI.Responses.ResponseInputItem[]),
        { role: "user", content: "Which river flows through its capital?" },
      ],
      tools: [{ type: "file_search", vector_store_ids: [geo.kbId] }],
    });
    expect(next.output_text).toMatch(/Vistula/);

    const err = await client.responses
      .create({
        model: "alpha",
        input: "hi",
        previous_response_id: plain.id,
        store: true,
        tools: [{ type: "web_search" }],
      })
      .catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.message).toMatch(/previous_response_id \(responses are not stored/);
    expect(err.message).toMatch(/tools\.0\.type/);
    expect(err.message).toMatch(/store \(responses are not stored/);
    const threshold = await client.responses
      .create({
        model: "alpha",
        input: "hi",
        tools: [
          {
            type: "file_search",
            vector_store_ids: [geo.kbId],
            ranking_options: { score_threshold: 0.5 },
          },
        ],
      })
      .catch((e) => e);
    expect(threshold).toBeInstanceOf(OpenAI.BadRequestError);
    expect(threshold.message).toMatch(/score_threshold/);
  });

  it("denies a wrong key, and answers 404 for another tenant's vector store", async () => {
    const bad = new OpenAI({ baseURL: `${http.baseURL}/v1`, apiKey: "aih_wrong", maxRetries: 0 });
    const denied = await bad.responses.create({ model: "alpha", input: "hi" }).catch((e) => e);
    expect(denied).toBeInstanceOf(OpenAI.AuthenticationError);
    const other = await seedGeography(a, "Other");
    const stranger = new OpenAI({ baseURL: `${http.baseURL}/v1`, apiKey: other.adminKey, maxRetries: 0 });
    const hidden = await stranger.responses
      .create({ model: "alpha", input: "hi", tools: [{ type: "file_search", vector_store_ids: [geo.kbId] }] })
      .catch((e) => e);
    expect(hidden).toBeInstanceOf(OpenAI.NotFoundError);
  });

  it("surfaces a failing model: 502 unstreamed, response.failed streamed", async () => {
    const plain = await client.responses
      .create({ model: "broken", input: "hi" }, { maxRetries: 0 })
      .catch((e) => e);
    expect(plain.status).toBe(502);
    const stream = await client.responses.create({ model: "broken", input: "hi", stream: true });
    let last: ResponseStreamEvent | undefined;
    for await (const e of stream) last = e;
    expect(last?.type).toBe("response.failed");
    if (last?.type === "response.failed") expect(last.response.error?.message).toBeTruthy();
  });
});
