/**
 * A local server speaking the OpenAI wire protocol, standing in for paid LLM providers in tests.
 *
 * Behaviour is picked by the `model` field of each request so one stub serves every scenario:
 *   stub-ok             streams (or returns) `opts.answer` word by word, with usage when asked
 *   stub-nousage        like stub-ok but never sends a usage chunk
 *   stub-echo           answers with the last user message
 *   stub-429            429 with Retry-After (seconds) and retry-after-ms headers
 *   stub-500            500 before any output
 *   stub-401 / stub-400 auth failure / bad request
 *   stub-500-midstream  `opts.midstreamDeltas` deltas, then the connection is destroyed
 *   stub-slow           first token after `opts.slowFirstTokenMs`, then like stub-ok
 *   stub-drip           one delta every `opts.dripMs` (up to 1,000): for aborting mid-stream
 *   stub-paced          streams `opts.answer` like stub-ok, one delta every `opts.dripMs`: visible streaming
 *   stub-overreport     like stub-ok, but its usage claims `opts.overreportOutputTokens` (default
 *                       100,000) output tokens and `opts.overreportPromptFactor` (default 1) × the prompt
 *                       tokens: a provider whose bill exceeds max_tokens and the local prompt count
 * Embeddings (`/v1/embeddings`): any model; the first `opts.embed429Count` requests get a 429.
 *
 * Token counts are deterministic so tests can assert them: prompt_tokens = whitespace-separated words
 * over all message contents (embeddings: over all inputs); completion_tokens = number of deltas.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface OpenAIStubOptions {
  answer?: string;
  slowFirstTokenMs?: number;
  dripMs?: number;
  midstreamDeltas?: number;
  retryAfterSeconds?: number;
  retryAfterMs?: number;
  embed429Count?: number;
  /** Embedding dimension when the request does not ask for one. */
  embeddingDimension?: number;
  /**
   * Hold embeddings requests until this many are in flight at once (or 5 s pass), then answer all:
   * proves a client really sends that many concurrently without relying on timing.
   */
  embedGate?: number;
  /** stub-overreport: output tokens its usage claims, whatever max_tokens was. */
  overreportOutputTokens?: number;
  /** stub-overreport: multiplies the prompt tokens its usage claims. */
  overreportPromptFactor?: number;
  /**
   * Keep every request for the test to inspect (`requests`; default true). A soak's stub answers
   * hundreds of thousands: kept, they grew its heap past 400 MB and its collections with it.
   */
  record?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown> | undefined;
}

export interface OpenAIStub {
  baseURL: string;
  requests: RecordedRequest[];
  /** Most embeddings requests that were being answered at the same time. */
  maxConcurrentEmbeds(): number;
  close(): Promise<void>;
}

export const STUB_DEFAULT_ANSWER = "Paris is the capital of France [1].";

interface StubMessage {
  role: string;
  content: unknown;
}

export function countWords(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content.map((p) => (typeof p === "object" && p && "text" in p ? String(p.text) : "")).join(" ");
  }
  return "";
}

/** Splits an answer into deltas that keep their leading space, as real providers stream them. */
export function stubDeltas(answer: string): string[] {
  return answer.match(/\s*\S+/g) ?? [];
}

/** Deterministic unit vector for a text, so equal texts embed equally and tests can recompute it. */
export function stubVector(text: string, dimension: number): number[] {
  let h = 2166136261;
  const v: number[] = [];
  for (let i = 0; i < dimension; i++) {
    for (const ch of `${i}:${text}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
    v.push((h % 2000) / 1000 - 1);
  }
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
) {
  sendJson(res, status, { error: { message, type: "stub_error", code: String(status) } }, headers);
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks).toString("utf8");
  return raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
}

export async function startOpenAIStub(opts: OpenAIStubOptions = {}): Promise<OpenAIStub> {
  const requests: RecordedRequest[] = [];
  let embedRequests = 0;
  let embedsInFlight = 0;
  let maxEmbedsInFlight = 0;
  let gateOpen = !opts.embedGate;
  const gateWaiters: (() => void)[] = [];
  const openGate = () => {
    gateOpen = true;
    for (const release of gateWaiters.splice(0)) release();
  };
  const retryHeaders = () => ({
    "retry-after": String(opts.retryAfterSeconds ?? 1),
    ...(opts.retryAfterMs !== undefined ? { "retry-after-ms": String(opts.retryAfterMs) } : {}),
  });

  async function handleEmbeddings(body: Record<string, unknown>, res: ServerResponse) {
    embedsInFlight++;
    maxEmbedsInFlight = Math.max(maxEmbedsInFlight, embedsInFlight);
    try {
      if (!gateOpen && embedsInFlight >= (opts.embedGate ?? 0)) openGate();
      if (!gateOpen) {
        await new Promise<void>((release) => {
          gateWaiters.push(release);
          setTimeout(openGate, 5000).unref();
        });
      }
      answerEmbeddings(body, res);
    } finally {
      embedsInFlight--;
    }
  }

  function answerEmbeddings(body: Record<string, unknown>, res: ServerResponse) {
    embedRequests++;
    if (embedRequests <= (opts.embed429Count ?? 0))
      return sendError(res, 429, "rate limited", retryHeaders());
    const inputs = Array.isArray(body.input) ? (body.input as string[]) : [String(body.input)];
    const dim = typeof body.dimensions === "number" ? body.dimensions : (opts.embeddingDimension ?? 8);
    const data = inputs.map((text, index) => {
      const vec = stubVector(text, dim);
      const embedding =
        body.encoding_format === "base64"
          ? Buffer.from(new Float32Array(vec).buffer).toString("base64")
          : vec;
      return { object: "embedding", index, embedding };
    });
    const tokens = inputs.reduce((n, t) => n + countWords(t), 0);
    sendJson(res, 200, {
      object: "list",
      data,
      model: body.model,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    });
  }

  function handleChat(body: Record<string, unknown>, res: ServerResponse) {
    const model = String(body.model);
    const messages = (body.messages ?? []) as StubMessage[];
    const promptTokens = messages.reduce((n, m) => n + countWords(contentText(m.content)), 0);
    if (model === "stub-429") return sendError(res, 429, "Rate limit reached for stub-429", retryHeaders());
    if (model === "stub-500") return sendError(res, 500, "The stub had an internal error");
    if (model === "stub-401") return sendError(res, 401, "Incorrect API key provided");
    if (model === "stub-400") return sendError(res, 400, "Invalid request for stub-400");

    const lastUser = [...messages].reverse().find((m) => m.role === "user");
    const answer =
      model === "stub-echo" ? contentText(lastUser?.content) : (opts.answer ?? STUB_DEFAULT_ANSWER);
    let deltas = stubDeltas(answer);
    if (model === "stub-drip") deltas = Array.from({ length: 1000 }, (_, i) => ` t${i}`);
    const over = model === "stub-overreport";
    const usage = (streamed: number) => {
      const prompt = over ? Math.ceil(promptTokens * (opts.overreportPromptFactor ?? 1)) : promptTokens;
      const completion = over ? (opts.overreportOutputTokens ?? 100_000) : streamed;
      return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion };
    };
    const base = { id: "chatcmpl-stub", object: "chat.completion.chunk", created: 0, model };

    if (!body.stream) {
      return sendJson(res, 200, {
        ...base,
        object: "chat.completion",
        choices: [{ index: 0, message: { role: "assistant", content: answer }, finish_reason: "stop" }],
        ...(model === "stub-nousage" ? {} : { usage: usage(deltas.length) }),
      });
    }

    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
    const send = (obj: unknown) => res.write(`data: ${JSON.stringify(obj)}\n\n`);
    const wantsUsage =
      model !== "stub-nousage" &&
      (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage === true;
    let i = 0;
    let timer: NodeJS.Timeout | undefined;
    // The response's close, not the socket's: a keep-alive socket carries thousands of responses, and a
    // listener per response on it kept every one of them (and its request) alive until it closed.
    res.on("close", () => clearTimeout(timer));

    const step = () => {
      if (res.destroyed) return;
      if (model === "stub-500-midstream" && i >= (opts.midstreamDeltas ?? 3)) {
        res.destroy();
        return;
      }
      if (i < deltas.length) {
        const delta = i === 0 ? { role: "assistant", content: deltas[i] } : { content: deltas[i] };
        send({ ...base, choices: [{ index: 0, delta, finish_reason: null }] });
        i++;
        const paced = model === "stub-drip" || model === "stub-paced";
        timer = setTimeout(step, paced ? (opts.dripMs ?? 10) : 0);
        return;
      }
      send({ ...base, choices: [{ index: 0, delta: {}, finish_reason: "stop" }] });
      if (wantsUsage) send({ ...base, choices: [], usage: usage(deltas.length) });
      res.end("data: [DONE]\n\n");
    };
    timer = setTimeout(step, model === "stub-slow" ? (opts.slowFirstTokenMs ?? 200) : 0);
  }

  const server = createServer((req, res) => {
    readBody(req)
      .then((body) => {
        const path = (req.url ?? "").split("?")[0] ?? "";
        if (opts.record !== false)
          requests.push({ method: req.method ?? "", path, headers: req.headers, body });
        if (req.method === "POST" && path.endsWith("/chat/completions")) return handleChat(body ?? {}, res);
        if (req.method === "POST" && path.endsWith("/embeddings")) return handleEmbeddings(body ?? {}, res);
        sendError(res, 404, `stub has no route ${req.method} ${path}`);
      })
      .catch((err: unknown) => sendError(res, 400, `stub could not read the request: ${String(err)}`));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    maxConcurrentEmbeds: () => maxEmbedsInFlight,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
