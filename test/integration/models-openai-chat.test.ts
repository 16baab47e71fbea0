import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtinCatalog } from "../../src/models/catalog/index.js";
import { ChatError } from "../../src/models/chat/errors.js";
import { createOpenAICompatibleChat } from "../../src/models/chat/openai-compatible.js";
import { countChatTokens, countTextTokens } from "../../src/models/chat/token-count.js";
import { costMicros } from "../../src/models/cost.js";
import { createModelRegistry } from "../../src/models/registry.js";
import type { ChatEvent, ChatMessage, ChatUsage } from "../../src/models/types.js";
import { type OpenAIStub, STUB_DEFAULT_ANSWER, startOpenAIStub, stubDeltas } from "../helpers/openai-stub.js";

let stub: OpenAIStub;
beforeAll(async () => {
  stub = await startOpenAIStub({ retryAfterSeconds: 7, retryAfterMs: 1500, midstreamDeltas: 3, dripMs: 5 });
});
afterAll(() => stub.close());

const messages: ChatMessage[] = [
  { role: "system", content: "Answer from the sources." },
  { role: "user", content: "What is the capital of France?" },
];
const PROMPT_WORDS = 4 + 6; // the stub counts whitespace words

function chat(model: string) {
  return createOpenAICompatibleChat({ id: `test-${model}`, baseURL: stub.baseURL, apiKey: "sk-test", model });
}

async function collect(events: AsyncIterable<ChatEvent>, onDelta?: (n: number) => void) {
  const deltas: string[] = [];
  const usages: ChatUsage[] = [];
  for await (const ev of events) {
    if (ev.type === "delta") {
      deltas.push(ev.text);
      onDelta?.(deltas.length);
    } else usages.push(ev.usage);
  }
  return { deltas, usages };
}

async function expectChatError(p: Promise<unknown>): Promise<ChatError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ChatError);
  return err as ChatError;
}

describe("OpenAI-compatible chat via @langchain/openai against the stub", () => {
  it("streams deltas then exactly one provider usage event, asking for stream usage", async () => {
    const { deltas, usages } = await collect(chat("stub-ok").stream(messages, { maxTokens: 64 }));
    expect(deltas).toEqual(stubDeltas(STUB_DEFAULT_ANSWER));
    expect(usages).toEqual([
      { inputTokens: PROMPT_WORDS, outputTokens: deltas.length, cachedInputTokens: 0, source: "provider" },
    ]);
    const body = stub.requests.at(-1)?.body;
    expect(body).toMatchObject({ model: "stub-ok", stream: true, stream_options: { include_usage: true } });
    expect(body?.max_tokens).toBe(64);
    expect(stub.requests.at(-1)?.headers.authorization).toBe("Bearer sk-test");
  });

  it("takes max_tokens and temperature per call: concurrent calls of one model share a client", async () => {
    const model = chat("stub-ok");
    const options = [{ maxTokens: 7, temperature: 0.3 }, { maxTokens: 99 }, {}];
    const before = stub.requests.length;
    await Promise.all(options.map((o) => collect(model.stream(messages, o))));
    const sent = stub.requests.slice(before).map((r) => [r.body?.max_tokens, r.body?.temperature]);
    expect(sent).toHaveLength(3);
    expect(sent).toEqual(
      expect.arrayContaining([
        [7, 0.3],
        [99, undefined],
        [undefined, undefined],
      ]),
    );
  });

  it("estimates usage with js-tiktoken when the provider sends none", async () => {
    const { deltas, usages } = await collect(chat("stub-nousage").stream(messages, {}));
    expect(deltas.join("")).toBe(STUB_DEFAULT_ANSWER);
    expect(usages).toEqual([
      {
        inputTokens: await countChatTokens(messages),
        outputTokens: await countTextTokens(STUB_DEFAULT_ANSWER),
        cachedInputTokens: 0,
        source: "estimated",
      },
    ]);
  });

  it("maps 429 to rate_limited with the provider's retry-after before any token", async () => {
    const err = await expectChatError(collect(chat("stub-429").stream(messages, {})));
    expect(err.code).toBe("rate_limited");
    expect(err.retryAfterMs).toBe(1500);
    expect(err.beforeFirstToken).toBe(true);
    expect(err.usage.outputTokens).toBe(0);
    expect(err.usage.source).toBe("estimated");
    expect(err.usage.inputTokens).toBe(await countChatTokens(messages));
  });

  it("maps 401 to auth_failed and 400 to bad_request", async () => {
    expect((await expectChatError(collect(chat("stub-401").stream(messages, {})))).code).toBe("auth_failed");
    expect((await expectChatError(collect(chat("stub-400").stream(messages, {})))).code).toBe("bad_request");
    const e500 = await expectChatError(collect(chat("stub-500").stream(messages, {})));
    expect(e500).toMatchObject({ code: "upstream_error", status: 500, beforeFirstToken: true });
  });

  it("reports a dropped stream as upstream_error after the first token, billing what streamed", async () => {
    const seen: string[] = [];
    const p = (async () => {
      for await (const ev of chat("stub-500-midstream").stream(messages, {}))
        if (ev.type === "delta") seen.push(ev.text);
    })();
    const err = await expectChatError(p);
    expect(err.code).toBe("upstream_error");
    expect(err.beforeFirstToken).toBe(false);
    expect(seen).toEqual(stubDeltas(STUB_DEFAULT_ANSWER).slice(0, 3));
    expect(err.usage.outputTokens).toBe(await countTextTokens(seen.join("")));
    expect(err.usage.inputTokens).toBe(await countChatTokens(messages));
  });

  it("stops on AbortSignal mid-stream with an aborted ChatError carrying partial usage", async () => {
    const ac = new AbortController();
    const seen: string[] = [];
    const p = (async () => {
      for await (const ev of chat("stub-drip").stream(messages, { signal: ac.signal })) {
        if (ev.type === "delta") seen.push(ev.text);
        if (seen.length === 5) ac.abort();
      }
    })();
    const err = await expectChatError(p);
    expect(err.code).toBe("aborted");
    expect(err.beforeFirstToken).toBe(false);
    expect(seen.length).toBeGreaterThanOrEqual(5);
    expect(seen.length).toBeLessThan(1000);
    expect(err.usage.outputTokens).toBe(await countTextTokens(seen.join("")));
  });

  it("aborts before the first token of a slow provider", async () => {
    const ac = new AbortController();
    const p = collect(chat("stub-slow").stream(messages, { signal: ac.signal }));
    // Abort once the request has reached the stub, not after a guessed delay.
    const deadline = Date.now() + 5000;
    while (!stub.requests.some((r) => r.body?.model === "stub-slow") && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 5));
    }
    ac.abort();
    const err = await expectChatError(p);
    expect(err).toMatchObject({ code: "aborted", beforeFirstToken: true });
    expect(err.usage.outputTokens).toBe(0);
  });

  it("maps a provider slower than the configured timeout to timeout", async () => {
    const slow = createOpenAICompatibleChat({
      id: "slow",
      baseURL: stub.baseURL,
      apiKey: "k",
      model: "stub-slow",
      timeoutMs: 30,
    });
    const err = await expectChatError(collect(slow.stream(messages, {})));
    expect(err).toMatchObject({ code: "timeout", beforeFirstToken: true });
  });

  it("passes the conversation through unchanged (echo)", async () => {
    const { deltas } = await collect(chat("stub-echo").stream(messages, { temperature: 0 }));
    expect(deltas.join("")).toBe("What is the capital of France?");
    expect(stub.requests.at(-1)?.body?.temperature).toBe(0);
  });

  it("serves registry models through their provider, sending the upstream name", async () => {
    const registry = createModelRegistry({
      providers: [{ id: "stub", baseURL: stub.baseURL, apiKey: "sk-reg" }],
      models: [
        { id: "house-model", provider: "stub", upstream: "stub-ok", price: { input: 2.5, output: 10 } },
      ],
      catalog: builtinCatalog,
    });
    const model = registry.get("house-model")!;
    const { usages } = await collect(model.chat.stream(messages, {}));
    expect(stub.requests.at(-1)?.body?.model).toBe("stub-ok");
    expect(stub.requests.at(-1)?.headers.authorization).toBe("Bearer sk-reg");
    // 10 prompt tokens × 2.5 micros + 7 output × 10 micros
    expect(costMicros(usages[0]!, model.info.price)).toBe(25 + 70);
  });
});
