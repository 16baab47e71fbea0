/**
 * An Embedder for any OpenAI-compatible /embeddings endpoint.
 *
 * Talks to the OpenAI SDK client that @langchain/openai re-exports (OpenAIClient) rather than to
 * OpenAIEmbeddings: OpenAIEmbeddings returns bare vectors and drops `usage.prompt_tokens`, which billing
 * needs. Only when a provider omits usage are tokens counted locally with js-tiktoken.
 * Sparse vectors come from an injected encoder (the offline BM25 encoder in production) so this module
 * stays independent of how lexical search is built.
 */
import { OpenAIClient } from "@langchain/openai";
import type { SparseVector } from "../../../vector/types.js";
import { retryAfterMs } from "../../chat/provider-error.js";
import { countTextTokens } from "../../chat/token-count.js";
import { costMicros, type Price } from "../../cost.js";
import { providerFetch } from "../../provider-fetch.js";
import type { Embedder, EmbedResult, QueryEmbedding } from "../../types.js";
import { chunkIndexText } from "../index-text.js";

export interface OpenAIEmbedderOptions {
  baseURL: string;
  apiKey: string;
  model: string;
  dimension: number;
  /** Only the input price matters for embeddings. */
  price: Price;
  sparseEncoder: (text: string) => SparseVector;
  batchSize?: number;
  concurrency?: number;
  /** Retries per batch on 429, 5xx and dropped connections. */
  maxRetries?: number;
  /** A Retry-After longer than this fails the call instead of stalling the worker. */
  maxRetryWaitMs?: number;
  /** Send `dimensions` in the request (shortened text-embedding-3 vectors); default: text-embedding-3 models only. */
  sendDimensions?: boolean;
  timeoutMs?: number;
}

export class EmbedError extends Error {
  override readonly name = "EmbedError";
  constructor(
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Runs `fn` over items with at most `limit` in flight, keeping results in input order. */
async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

export function createOpenAIEmbedder(opts: OpenAIEmbedderOptions): Embedder {
  const batchSize = opts.batchSize ?? 64;
  const concurrency = opts.concurrency ?? 2;
  const maxRetries = opts.maxRetries ?? 4;
  const maxRetryWaitMs = opts.maxRetryWaitMs ?? 60_000;
  const sendDimensions = opts.sendDimensions ?? opts.model.startsWith("text-embedding-3");
  if (batchSize < 1 || concurrency < 1)
    throw new Error("embedder batchSize and concurrency must be at least 1");
  const client = new OpenAIClient({
    apiKey: opts.apiKey,
    baseURL: opts.baseURL,
    maxRetries: 0, // retries are ours, so Retry-After and the wait cap are applied in one place
    fetch: providerFetch(),
    ...(opts.timeoutMs !== undefined ? { timeout: opts.timeoutMs } : {}),
  });

  async function embedBatch(
    texts: string[],
    signal?: AbortSignal,
  ): Promise<{ dense: number[][]; tokens: number }> {
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await client.embeddings.create(
          {
            model: opts.model,
            input: texts,
            encoding_format: "float",
            ...(sendDimensions ? { dimensions: opts.dimension } : {}),
          },
          signal ? { signal } : {},
        );
        const dense = [...res.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
        if (dense.length !== texts.length || dense.some((v) => v.length !== opts.dimension)) {
          throw new EmbedError(
            `${opts.model} returned ${dense.length} vectors of length ${dense[0]?.length} for ${texts.length} texts; ` +
              `expected length ${opts.dimension}: check the model's dimension in the embedder configuration`,
          );
        }
        const reported = res.usage?.prompt_tokens;
        const tokens =
          typeof reported === "number"
            ? reported
            : (await Promise.all(texts.map((t) => countTextTokens(t)))).reduce((a, b) => a + b, 0);
        return { dense, tokens };
      } catch (e) {
        if (e instanceof EmbedError || signal?.aborted) throw e;
        const err = e as { status?: number; headers?: Headers; message?: string };
        const retryable = err.status === undefined || err.status === 429 || err.status >= 500;
        const wait = retryAfterMs(err.headers) ?? 250 * 2 ** attempt;
        if (!retryable || attempt >= maxRetries || wait > maxRetryWaitMs) {
          throw new EmbedError(
            `embedding with ${opts.model} failed after ${attempt + 1} attempt(s): ${err.message ?? String(e)}`,
            err.status,
            { cause: e },
          );
        }
        await sleep(wait, signal);
      }
    }
  }

  async function embedDocuments(texts: string[], callOpts?: { signal?: AbortSignal }): Promise<EmbedResult> {
    const batches: string[][] = [];
    for (let i = 0; i < texts.length; i += batchSize) batches.push(texts.slice(i, i + batchSize));
    const results = await mapLimited(batches, concurrency, (b) => embedBatch(b, callOpts?.signal));
    const tokens = results.reduce((n, r) => n + r.tokens, 0);
    return {
      dense: results.flatMap((r) => r.dense),
      sparse: texts.map((t) => opts.sparseEncoder(t)),
      tokens,
      costMicros: costMicros({ inputTokens: tokens, outputTokens: 0, cachedInputTokens: 0 }, opts.price),
    };
  }

  async function embedQuery(text: string, callOpts?: { signal?: AbortSignal }): Promise<QueryEmbedding> {
    const r = await embedDocuments([text], callOpts);
    return { dense: r.dense[0]!, sparse: r.sparse[0]!, tokens: r.tokens, costMicros: r.costMicros };
  }

  return {
    id: `openai-${opts.model.replace(/[^A-Za-z0-9_-]+/g, "_")}-${opts.dimension}`,
    dimension: opts.dimension,
    indexText: chunkIndexText,
    embedDocuments,
    embedQuery,
  };
}
