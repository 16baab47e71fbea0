/**
 * Maps errors thrown by the OpenAI SDK (as wrapped by @langchain/openai) to ChatError codes.
 * Works on duck-typed fields (status, headers, name) because LangChain re-wraps some SDK errors.
 */
import type { ChatErrorCode } from "./errors.js";

type HeaderBag = { get(name: string): string | null } | Record<string, string | string[] | undefined>;

function header(headers: HeaderBag | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  if (typeof (headers as { get?: unknown }).get === "function") {
    return (headers as { get(n: string): string | null }).get(name) ?? undefined;
  }
  const v = (headers as Record<string, string | string[] | undefined>)[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Reads `retry-after-ms` (OpenAI) or `Retry-After` (seconds or HTTP date); undefined when absent/invalid. */
export function retryAfterMs(headers: HeaderBag | undefined, now = Date.now()): number | undefined {
  const ms = Number(header(headers, "retry-after-ms"));
  if (header(headers, "retry-after-ms") !== undefined && Number.isFinite(ms) && ms >= 0) return Math.ceil(ms);
  const raw = header(headers, "retry-after");
  if (raw === undefined || raw.trim() === "") return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export interface ClassifiedError {
  code: ChatErrorCode;
  message: string;
  status?: number;
  retryAfterMs?: number;
}

/** LangChain appends a troubleshooting URL to provider messages; keep the provider's own sentence. */
function cleanMessage(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split("\n\nTroubleshooting URL:")[0]!.trim();
}

export function classifyProviderError(e: unknown, signal?: AbortSignal): ClassifiedError {
  const err = (e ?? {}) as { status?: unknown; headers?: HeaderBag; name?: string };
  if (signal?.aborted) return { code: "aborted", message: "the request was aborted by the caller" };
  const status = typeof err.status === "number" ? err.status : undefined;
  const message = cleanMessage(e);
  if (status === 429) {
    const after = retryAfterMs(err.headers);
    return { code: "rate_limited", message, status, ...(after !== undefined ? { retryAfterMs: after } : {}) };
  }
  if (status === 401 || status === 403) return { code: "auth_failed", message, status };
  if (status === 408 || status === 504) return { code: "timeout", message, status };
  if (status !== undefined && status >= 400 && status < 500) return { code: "bad_request", message, status };
  if (err.name === "TimeoutError" || /timed? ?out/i.test(message)) return { code: "timeout", message };
  if (err.name === "AbortError") return { code: "aborted", message };
  // 5xx, dropped connections ("terminated"), malformed streams: the provider failed.
  return {
    code: "upstream_error",
    message: message || "the provider failed without a message",
    ...(status ? { status } : {}),
  };
}
