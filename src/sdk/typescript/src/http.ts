import { AiHubConnectionError, AiHubError } from "./errors.js";
import type { paths } from "./schema.generated.js";
import type { Problem } from "./types.js";

/** The JSON body an operation answers with (200 or 201), from the generated paths. */
export type Ok<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends { responses: infer R }
  ? R extends { 200: { content: { "application/json": infer J } } }
    ? J
    : R extends { 201: { content: { "application/json": infer J } } }
      ? J
      : R extends { 202: { content: { "application/json": infer J } } }
        ? J
        : never
  : never;

/** The JSON request body of an operation. */
export type Body<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  requestBody?: { content: { "application/json": infer B } };
}
  ? B
  : never;

/** The query parameters of an operation. */
export type Query<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  parameters: { query?: infer Q };
}
  ? NonNullable<Q>
  : never;

export interface ClientOptions {
  /** The server, e.g. "http://localhost:8787" (no /v1). */
  baseURL: string;
  apiKey: string;
  /** Retries for 408, 429, 503, 504 and network errors (default 2); each honours Retry-After. */
  maxRetries?: number;
  /** Another fetch (tests, proxies, older runtimes). */
  fetch?: typeof fetch;
  /** Cap on one back-off wait in ms (default 20 000). */
  maxRetryDelayMs?: number;
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined> | undefined;
  json?: unknown;
  body?: BodyInit;
  headers?: Record<string, string>;
  signal?: AbortSignal | undefined;
}

// Not 502: the API answers 502 when a model failed, and a retry would be billed again.
const RETRYABLE = new Set([408, 429, 503, 504]);

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });

/** Seconds (or an HTTP date) from Retry-After; undefined when absent or unreadable. */
function retryAfterMs(res: Response): number | undefined {
  const h = res.headers.get("retry-after");
  if (!h) return undefined;
  const seconds = Number(h);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(h);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

export class Transport {
  readonly baseURL: string;
  private readonly opts: ClientOptions;
  private readonly fetchImpl: typeof fetch;

  constructor(opts: ClientOptions) {
    this.opts = opts;
    this.baseURL = opts.baseURL.replace(/\/+$/, "");
    this.fetchImpl = opts.fetch ?? ((...args) => fetch(...args));
  }

  /** Sends a request, retrying what is safe to retry; answers the successful Response or throws. */
  async send(method: string, path: string, o: RequestOptions = {}): Promise<Response> {
    const url = new URL(this.baseURL + path);
    for (const [k, v] of Object.entries(o.query ?? {}))
      if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { authorization: `Bearer ${this.opts.apiKey}`, ...o.headers };
    if (o.json !== undefined) headers["content-type"] = "application/json";
    const body = o.json !== undefined ? JSON.stringify(o.json) : o.body;
    const maxRetries = this.opts.maxRetries ?? 2;
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await this.fetchImpl(url, { method, headers, body: body ?? null, signal: o.signal ?? null });
      } catch (err) {
        if (o.signal?.aborted || attempt >= maxRetries) {
          throw new AiHubConnectionError(`${method} ${path} failed: ${(err as Error).message}`, {
            cause: err,
          });
        }
        await sleep(this.backoff(attempt), o.signal);
        continue;
      }
      if (res.ok) return res;
      const wait = retryAfterMs(res);
      if (RETRYABLE.has(res.status) && attempt < maxRetries) {
        await res.body?.cancel();
        await sleep(Math.min(wait ?? this.backoff(attempt), this.opts.maxRetryDelayMs ?? 20_000), o.signal);
        continue;
      }
      const problem = (await res.json().catch(() => ({}))) as Partial<Problem>;
      if (!problem.requestId && problem.request_id) problem.requestId = problem.request_id;
      throw new AiHubError(res.status, problem, wait === undefined ? undefined : wait / 1000);
    }
  }

  async json<T>(method: string, path: string, o: RequestOptions = {}): Promise<T> {
    const res = await this.send(method, path, o);
    return (await res.json()) as T;
  }

  /** Exponential back-off with jitter: 0.5 s, 1 s, 2 s... */
  private backoff(attempt: number): number {
    return Math.min(500 * 2 ** attempt, 8_000) * (0.75 + Math.random() * 0.5);
  }
}
