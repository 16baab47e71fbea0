import { afterEach, describe, expect, it } from "vitest";
import { costMicros, type Price } from "../../src/models/cost.js";
import { createOpenAIEmbedder, EmbedError } from "../../src/models/embedders/openai/index.js";
import type { SparseVector } from "../../src/vector/types.js";
import { countWords, type OpenAIStub, startOpenAIStub, stubVector } from "../helpers/openai-stub.js";

const price: Price = {
  inputMicrosPerMillion: 20_000,
  outputMicrosPerMillion: 0,
  cachedInputMicrosPerMillion: 20_000,
};
// A trivial injected sparse encoder: proves the embedder calls it per text and passes its output through.
const sparseEncoder = (text: string): SparseVector => ({ indices: [text.length], values: [1] });

let stub: OpenAIStub | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

function texts(n: number) {
  return Array.from({ length: n }, (_, i) => `chunk number ${i} about topic ${i % 7}`);
}

describe("OpenAI-compatible embedder against the stub", () => {
  it("batches, keeps order, sums provider tokens and prices them", async () => {
    stub = await startOpenAIStub({ embedGate: 2 });
    const embedder = createOpenAIEmbedder({
      baseURL: stub.baseURL,
      apiKey: "k",
      model: "text-embedding-3-small",
      dimension: 16,
      price,
      sparseEncoder,
      batchSize: 10,
      concurrency: 2,
    });
    const input = texts(25);
    const started = performance.now();
    const res = await embedder.embedDocuments(input);
    expect(performance.now() - started).toBeLessThan(4000); // the gate opened: two requests were in flight
    const embedCalls = stub.requests.filter((r) => r.path.endsWith("/embeddings"));
    expect(embedCalls.map((r) => (r.body?.input as string[] | undefined)?.length)).toEqual([10, 10, 5]);
    expect(stub.maxConcurrentEmbeds()).toBe(2);
    expect(embedCalls.every((r) => r.body?.dimensions === 16 && r.body?.encoding_format === "float")).toBe(
      true,
    );
    expect(res.dense).toHaveLength(25);
    res.dense.forEach((v, i) => {
      const expected = stubVector(input[i]!, 16);
      v.forEach((x, j) => {
        expect(x).toBeCloseTo(expected[j]!, 12);
      });
    });
    const tokens = input.reduce((n, t) => n + countWords(t), 0);
    expect(res.tokens).toBe(tokens);
    expect(res.costMicros).toBe(
      costMicros({ inputTokens: tokens, outputTokens: 0, cachedInputTokens: 0 }, price),
    );
    expect(res.sparse).toEqual(input.map(sparseEncoder));
    expect(embedder.id).toBe("openai-text-embedding-3-small-16");
  });

  it("waits for Retry-After on 429 and then succeeds", async () => {
    stub = await startOpenAIStub({ embed429Count: 2, retryAfterMs: 150, embeddingDimension: 8 });
    const embedder = createOpenAIEmbedder({
      baseURL: stub.baseURL,
      apiKey: "k",
      model: "bge-m3",
      dimension: 8,
      price,
      sparseEncoder,
    });
    const started = performance.now();
    const q = await embedder.embedQuery("what is retrieval");
    const elapsed = performance.now() - started;
    expect(stub.requests).toHaveLength(3);
    expect(elapsed).toBeGreaterThanOrEqual(2 * 150 - 5);
    expect(q.dense).toHaveLength(8);
    expect(q.tokens).toBe(3);
    expect(stub.requests[0]?.body?.dimensions).toBeUndefined();
  });

  it("gives up with a clear error after maxRetries, and on a wrong dimension", async () => {
    stub = await startOpenAIStub({ embed429Count: 10, retryAfterMs: 1 });
    const base = { baseURL: stub.baseURL, apiKey: "k", price, sparseEncoder };
    const limited = createOpenAIEmbedder({ ...base, model: "m", dimension: 8, maxRetries: 2 });
    await expect(limited.embedDocuments(["a"])).rejects.toThrow(/failed after 3 attempt/);
    expect(stub.requests).toHaveLength(3);

    const tooLong = createOpenAIEmbedder({ ...base, model: "m", dimension: 8, maxRetryWaitMs: 0 });
    await expect(tooLong.embedDocuments(["a"])).rejects.toBeInstanceOf(EmbedError);

    stub.requests.length = 0;
    await stub.close();
    stub = await startOpenAIStub({ embeddingDimension: 4 });
    const wrongDim = createOpenAIEmbedder({ ...base, baseURL: stub.baseURL, model: "m", dimension: 8 });
    await expect(wrongDim.embedDocuments(["a"])).rejects.toThrow(/expected length 8/);
  });
});
