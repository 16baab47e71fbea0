import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { usageLedger } from "../../src/db/schema.js";
import { formatMicros } from "../../src/models/cost.js";
import {
  type AskTestApp,
  ask,
  type SseEvent,
  STUB_PRICE,
  seedGeography,
  startAskTestApp,
} from "../helpers/ask-app.js";
import { STUB_DEFAULT_ANSWER, stubDeltas } from "../helpers/openai-stub.js";

const micros = (input: number, output: number) => input * STUB_PRICE.input + output * STUB_PRICE.output;
const ofType = (events: SseEvent[], type: string) =>
  events.filter((e) => e.event === type).map((e) => e.data);
const textOf = (events: SseEvent[], model: string) =>
  ofType(events, "delta")
    .filter((d) => d.model === model)
    .map((d) => d.text)
    .join("");

describe("POST /v1/ask with several models", () => {
  let a: AskTestApp;
  let geo: Awaited<ReturnType<typeof seedGeography>>;

  beforeAll(async () => {
    a = await startAskTestApp("pglite");
    geo = await seedGeography(a);
  });
  afterAll(async () => a?.close());

  it("compare: streams two models side by side while a third fails, each priced exactly", async () => {
    const r = await ask(a.t, geo.adminKey, {
      question: "What is the capital of France?",
      knowledge_base_ids: [geo.kbId],
      models: ["alpha", "broken", "gpt-4o-mini"],
    });
    expect(r.status).toBe(200);
    const kinds = r.events.map((e) => e.event);
    expect(kinds[0]).toBe("sources");
    expect(kinds.at(-1)).toBe("done");
    expect(kinds.filter((k) => k === "sources")).toHaveLength(1);

    const sources = r.events[0]!.data.sources;
    expect(sources[0]).toMatchObject({
      n: 1,
      document_id: geo.france.documentId,
      title: "France guide",
      page_start: 1,
    });
    expect(sources.map((s: any) => s.n)).toEqual(sources.map((_: unknown, i: number) => i + 1));

    expect(textOf(r.events, "alpha")).toBe(STUB_DEFAULT_ANSWER);
    expect(textOf(r.events, "gpt-4o-mini")).toBe(STUB_DEFAULT_ANSWER);
    expect(ofType(r.events, "error")).toEqual([
      { model: "broken", code: "upstream_error", message: expect.stringContaining("broken") },
    ]);

    const usage = Object.fromEntries(ofType(r.events, "usage").map((u) => [u.model, u]));
    const deltas = stubDeltas(STUB_DEFAULT_ANSWER).length;
    expect(usage.alpha).toMatchObject({ status: "ok", usage_source: "provider", output_tokens: deltas });
    expect(usage.alpha.cost_micros).toBe(micros(usage.alpha.input_tokens, deltas));
    // One money shape: integer micros beside the same amount as an exact six-place decimal string.
    expect(usage.alpha.cost_usd).toBe(formatMicros(usage.alpha.cost_micros));
    expect(usage.alpha.cost_usd).toMatch(/^\d+\.\d{6}$/);
    expect(usage.alpha.ttft_ms).toBeGreaterThanOrEqual(0);
    expect(usage.alpha.latency_ms).toBeGreaterThanOrEqual(usage.alpha.ttft_ms);
    // Catalog price for gpt-4o-mini: $0.15 / $0.60 per million tokens.
    const mini = usage["gpt-4o-mini"];
    expect(mini.cost_micros).toBe(
      Math.round((mini.input_tokens * 150_000 + mini.output_tokens * 600_000) / 1e6),
    );
    // The provider rejected the call before any output: nothing consumed, nothing billed.
    expect(usage.broken).toMatchObject({
      status: "failed",
      input_tokens: 0,
      output_tokens: 0,
      cost_micros: 0,
    });

    const done = r.events.at(-1)!.data;
    expect(done.cost_micros).toBe(usage.alpha.cost_micros + mini.cost_micros);
    expect(done.models.find((m: any) => m.model === "alpha")).toMatchObject({
      status: "ok",
      citations: [1],
      unknown_citations: [],
    });

    const rows = await a.t.deps.database.db
      .select()
      .from(usageLedger)
      .where(eq(usageLedger.tenantId, geo.tenantId));
    const byModel = Object.fromEntries(
      rows.filter((row) => row.kind === "chat").map((row) => [row.model, row]),
    );
    expect(byModel.alpha).toMatchObject({
      status: "ok",
      costMicros: usage.alpha.cost_micros,
      kbIds: [geo.kbId],
      usageSource: "provider",
    });
    expect(byModel.broken).toMatchObject({ status: "failed", errorCode: "upstream_error", costMicros: 0 });
    expect(byModel["gpt-4o-mini"]!.costMicros).toBe(mini.cost_micros);
  });

  it("fallback: a model failing before its first token hands over to the next", async () => {
    const r = await ask(a.t, geo.adminKey, {
      question: "What is the capital of France?",
      knowledge_base_ids: [geo.kbId],
      models: ["limited", "alpha", "bravo"],
      mode: "fallback",
    });
    expect(r.status).toBe(200);
    expect(ofType(r.events, "error").map((e) => [e.model, e.code])).toEqual([["limited", "rate_limited"]]);
    expect(textOf(r.events, "alpha")).toBe(STUB_DEFAULT_ANSWER);
    expect(textOf(r.events, "bravo")).toBe("");
    const done = r.events.at(-1)!.data;
    expect(done.models.map((m: any) => m.status)).toEqual(["failed", "ok", "skipped"]);
  });

  it("fallback: no hand-over once a model has streamed text", async () => {
    const r = await ask(a.t, geo.adminKey, {
      question: "What is the capital of France?",
      knowledge_base_ids: [geo.kbId],
      models: ["midstream", "alpha"],
      mode: "fallback",
    });
    expect(textOf(r.events, "midstream").length).toBeGreaterThan(0);
    expect(textOf(r.events, "alpha")).toBe("");
    const usage = ofType(r.events, "usage");
    expect(usage).toHaveLength(1);
    // Cut off mid-stream: the prompt and the streamed text were consumed and are billed (estimated).
    expect(usage[0]).toMatchObject({ model: "midstream", status: "cut_off", usage_source: "estimated" });
    expect(usage[0].input_tokens).toBeGreaterThan(0);
    expect(usage[0].cost_micros).toBe(micros(usage[0].input_tokens, usage[0].output_tokens));
    expect(r.events.at(-1)!.data.models.map((m: any) => m.status)).toEqual(["cut_off", "skipped"]);
  });

  it("estimates usage with js-tiktoken when the provider reports none", async () => {
    const r = await ask(a.t, geo.adminKey, {
      question: "Capital of France?",
      knowledge_base_ids: [geo.kbId],
      models: ["nousage"],
    });
    const [u] = ofType(r.events, "usage");
    expect(u).toMatchObject({ model: "nousage", status: "ok", usage_source: "estimated" });
    expect(u.output_tokens).toBeGreaterThan(0);
    expect(u.cost_micros).toBe(micros(u.input_tokens, u.output_tokens));
  });

  it("stream:false returns the same content as one JSON document", async () => {
    const r = await ask(a.t, geo.adminKey, {
      question: "What is the capital of France?",
      knowledge_base_ids: [geo.kbId],
      models: ["alpha", "broken"],
      stream: false,
    });
    expect(r.status).toBe(200);
    expect(r.body.sources[0].n).toBe(1);
    const [alpha, broken] = r.body.answers;
    expect(alpha).toMatchObject({
      model: "alpha",
      status: "ok",
      text: STUB_DEFAULT_ANSWER,
      citations: [1],
      error: null,
    });
    expect(alpha.usage.cost_micros).toBe(micros(alpha.usage.input_tokens, alpha.usage.output_tokens));
    expect(broken).toMatchObject({
      model: "broken",
      status: "failed",
      text: "",
      error: { code: "upstream_error" },
    });
    expect(r.body.done.cost_micros).toBe(alpha.usage.cost_micros);
  });

  it("rejects unknown models, naming the field", async () => {
    const r = await ask(a.t, geo.adminKey, {
      question: "Hi?",
      knowledge_base_ids: [geo.kbId],
      models: ["alpha", "nope"],
    });
    expect(r.status).toBe(400);
    expect(r.body.errors).toEqual([{ field: "models.1", message: 'unknown model "nope"' }]);
  });

  it("sends the sources as quoted data inside the prompt", async () => {
    const before = a.stub.requests.length;
    await ask(a.t, geo.adminKey, {
      question: "What is the capital of Poland?",
      knowledge_base_ids: [geo.kbId],
      models: ["bravo"],
    });
    const req = a.stub.requests.slice(before).find((q) => q.path.endsWith("/chat/completions"))!;
    const messages = req.body!.messages as { role: string; content: string }[];
    expect(messages[0]!.role).toBe("system");
    expect(messages[1]!.content).toMatch(
      /<source id="1" title="Poland guide" pages="7">\nWarsaw is the capital/,
    );
    expect(req.body!.max_tokens).toBe(1024);
    expect(req.body!.stream_options).toEqual({ include_usage: true });
  });

  it("uses the knowledge base's template unless the request names one", async () => {
    const systemPrompt = async (extra: Record<string, unknown>) => {
      const before = a.stub.requests.length;
      await ask(a.t, geo.adminKey, {
        question: "Capital?",
        knowledge_base_ids: [geo.kbId],
        models: ["bravo"],
        ...extra,
      });
      const req = a.stub.requests.slice(before).find((q) => q.path.endsWith("/chat/completions"))!;
      return (req.body!.messages as { content: string }[])[0]!.content;
    };
    await a.t.call("PATCH", `/v1/knowledge-bases/${geo.kbId}`, {
      key: geo.adminKey,
      body: { prompt_template: "support-bot" },
    });
    expect(await systemPrompt({})).toMatch(/customer-support assistant/);
    expect(await systemPrompt({ template: "strict" })).toMatch(/strictly from the numbered sources/);
    await a.t.call("PATCH", `/v1/knowledge-bases/${geo.kbId}`, {
      key: geo.adminKey,
      body: { prompt_template: "qa" },
    });
  });
});
