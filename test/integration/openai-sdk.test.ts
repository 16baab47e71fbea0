import { eq } from "drizzle-orm";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usageLedger } from "../../src/db/schema.js";
import { type AskTestApp, seedGeography, startAskTestApp } from "../helpers/ask-app.js";
import { STUB_DEFAULT_ANSWER } from "../helpers/openai-stub.js";
import { serveOverHttp } from "../helpers/serve.js";

/** /v1/chat/completions through the official `openai` package: only baseURL and apiKey change. */
describe("POST /v1/chat/completions with the openai SDK", () => {
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

  async function ledgerRows(completionId: string) {
    const requestId = completionId.replace(/^chatcmpl-/, "");
    return a.t.deps.database.db.select().from(usageLedger).where(eq(usageLedger.requestId, requestId));
  }

  it("answers grounded (extension field), with [n] markers, citations with pages, usage = ledger", async () => {
    const completion = await client.chat.completions.create({
      model: "alpha",
      messages: [{ role: "user", content: "What is the capital of France?" }],
      // @ts-expect-error the documented extension; Node's SDK passes unknown fields through
      knowledge_base_ids: [geo.kbId],
    });
    expect(completion.object).toBe("chat.completion");
    const message = completion.choices[0]!.message as (typeof completion.choices)[0]["message"] & {
      citations: import("../../src/routes/chat/wire.js").ChatCitation[];
    };
    expect(message.content).toBe(STUB_DEFAULT_ANSWER);
    expect(message.content).toContain("[1]");
    const first = message.citations.find((c) => c.index === 1)!;
    expect(first).toMatchObject({ cited: true, document_id: geo.france.documentId, title: "France guide" });
    expect(first.page_start).toBe(1);
    expect(message.citations.every((c) => typeof c.score === "number" && c.chunk_id)).toBe(true);

    const [row] = await ledgerRows(completion.id);
    expect(row).toMatchObject({ kind: "chat", model: "alpha", status: "ok" });
    expect(completion.usage).toMatchObject({
      prompt_tokens: row!.inputTokens,
      completion_tokens: row!.outputTokens,
      total_tokens: row!.inputTokens + row!.outputTokens,
      cost_micros: row!.costMicros,
    });
  });

  it("streams with the model alias, citations on the last chunk and include_usage", async () => {
    const stream = await client.chat.completions.create({
      model: `alpha@${geo.kbId}`,
      messages: [{ role: "user", content: "What is the capital of France?" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let citations: { index: number; page_start: number | null }[] | undefined;
    let usage: OpenAI.CompletionUsage | null | undefined;
    let id = "";
    for await (const chunk of stream) {
      id = chunk.id;
      text += chunk.choices[0]?.delta.content ?? "";
      if (chunk.choices[0]?.finish_reason) {
        expect(chunk.choices[0].finish_reason).toBe("stop");
        citations = (chunk as unknown as { citations: typeof citations }).citations;
      }
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe(STUB_DEFAULT_ANSWER);
    expect(citations?.[0]).toMatchObject({ index: 1, page_start: 1 });
    const [row] = await ledgerRows(id);
    expect(usage).toMatchObject({ prompt_tokens: row!.inputTokens, completion_tokens: row!.outputTokens });
  });

  it("rewrites a multi-turn follow-up into a standalone query before retrieving", async () => {
    const completion = await client.chat.completions.create({
      model: `extractive@${geo.kbId}`,
      messages: [
        { role: "system", content: "Answer briefly." },
        { role: "user", content: "Tell me about Poland" },
        { role: "assistant", content: "Poland is in central Europe." },
        { role: "user", content: "Which river flows through its capital?" },
      ],
    });
    const citations = (completion.choices[0]!.message as unknown as { citations: { title: string }[] })
      .citations;
    expect(citations[0]!.title).toBe("Poland guide");
    expect(completion.choices[0]!.message.content).toMatch(/Vistula/);
  });

  it("uses the default model for a bare @<kb> alias", async () => {
    const completion = await client.chat.completions.create({
      model: `@${geo.kbId}`,
      messages: [{ role: "user", content: "What is the capital of France?" }],
    });
    expect(completion.model).toBe(`@${geo.kbId}`);
    const [row] = await ledgerRows(completion.id);
    expect(row).toMatchObject({ model: "alpha", kbIds: [geo.kbId] });
  });

  it("is plain chat without grounding, still on the ledger", async () => {
    const completion = await client.chat.completions.create({
      model: "bravo",
      messages: [{ role: "user", content: "echo this back" }],
      max_tokens: 50,
    });
    expect(completion.choices[0]!.message.content).toBe("echo this back");
    const [row] = await ledgerRows(completion.id);
    expect(row).toMatchObject({ model: "bravo", kbIds: [] });
  });

  it("refuses unsupported fields by name", async () => {
    const err = await client.chat.completions
      .create({
        model: "alpha",
        messages: [{ role: "user", content: "hi" }],
        n: 2,
        tools: [{ type: "function", function: { name: "f", parameters: {} } }],
      })
      .catch((e) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect(err.status).toBe(400);
    expect(err.message).toMatch(/tools/);
    expect(err.message).toMatch(/n \(only n = 1/);
  });

  it("rejects unknown models and keys like /v1/ask", async () => {
    const unknown = await client.chat.completions
      .create({ model: "nope", messages: [{ role: "user", content: "hi" }] })
      .catch((e) => e);
    expect(unknown.status).toBe(400);
    const bad = new OpenAI({ baseURL: `${http.baseURL}/v1`, apiKey: "aih_wrong", maxRetries: 0 });
    const denied = await bad.chat.completions
      .create({ model: "alpha", messages: [{ role: "user", content: "hi" }] })
      .catch((e) => e);
    expect(denied).toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it("lists models in OpenAI's shape, keeping prices", async () => {
    const models = [];
    for await (const m of client.models.list()) models.push(m);
    const alpha = models.find((m) => m.id === "alpha") as OpenAI.Model & { price: { source: string } };
    expect(alpha).toMatchObject({ object: "model", owned_by: "stub", price: { source: "config" } });
    expect(typeof alpha.created).toBe("number");
  });

  it("embeds with the configured embedder (float and base64), billed on the ledger", async () => {
    const { embedding_model } = (await (
      await fetch(`${http.baseURL}/v1/models`, { headers: { authorization: `Bearer ${geo.adminKey}` } })
    ).json()) as { embedding_model: string };
    const floats = await client.embeddings.create({
      model: embedding_model,
      input: ["Paris is the capital of France", "Warsaw"],
      encoding_format: "float",
    });
    expect(floats.data).toHaveLength(2);
    expect(floats.data[0]!.embedding).toHaveLength(a.fx.embedder.dimension);
    const direct = await a.fx.embedder.embedDocuments(["Paris is the capital of France"]);
    expect(floats.data[0]!.embedding[0]).toBeCloseTo(direct.dense[0]![0]!, 6);
    // The SDK asks for base64 by default and decodes it back to floats.
    const decoded = await client.embeddings.create({
      model: "default",
      input: "Paris is the capital of France",
    });
    expect(decoded.data[0]!.embedding[5]).toBeCloseTo(floats.data[0]!.embedding[5]!, 6);
    expect(floats.usage.prompt_tokens).toBeGreaterThan(0);
    const rows = await a.t.deps.database.db
      .select()
      .from(usageLedger)
      .where(eq(usageLedger.kind, "embedding"));
    expect(
      rows.some((r) => r.embeddingTokens === floats.usage.prompt_tokens && r.model === embedding_model),
    ).toBe(true);
    const wrong = await client.embeddings
      .create({ model: "text-embedding-3-small", input: "x" })
      .catch((e) => e);
    expect(wrong.status).toBe(400);
  });

  it("surfaces a failing model as an error, streamed and not", async () => {
    const plain = await client.chat.completions
      .create({ model: "broken", messages: [{ role: "user", content: "hi" }] }, { maxRetries: 0 })
      .catch((e) => e);
    expect(plain.status).toBe(502);
    const stream = await client.chat.completions.create({
      model: "broken",
      messages: [{ role: "user", content: "hi" }],
      stream: true,
    });
    const streamed = await (async () => {
      for await (const _ of stream);
    })().catch((e) => e);
    expect(streamed).toBeInstanceOf(OpenAI.APIError);
  });
});
