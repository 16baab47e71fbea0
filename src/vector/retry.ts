import { VectorStoreRequestError, VectorStoreUnavailableError } from "./errors.js";

export interface RetryPolicy {
  attempts: number;
  baseMs: number;
}

const TRANSIENT_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_CLOSED",
]);

interface HttpishError {
  name?: string;
  status?: number;
  code?: string;
  cause?: unknown;
  data?: { status?: { error?: string } | string };
}

/** Network failures, timeouts, 429 and 5xx are worth retrying; a 4xx means the request itself is wrong. */
export function isTransient(e: unknown): boolean {
  let err = e as HttpishError | undefined;
  for (let depth = 0; err && depth < 4; depth++) {
    if (typeof err.status === "number") return err.status >= 500 || err.status === 429;
    if (err.name === "QdrantClientTimeoutError" || err.name === "AbortError" || err.name === "TimeoutError")
      return true;
    if (err.code && TRANSIENT_CODES.has(err.code)) return true;
    if (err.name === "TypeError" && /fetch failed|terminated/i.test(String((err as Error).message)))
      return true;
    err = err.cause as HttpishError | undefined;
  }
  return false;
}

function describe(e: unknown): { message: string; status?: number } {
  const err = e as HttpishError;
  const status = typeof err?.status === "number" ? err.status : undefined;
  const detail = typeof err?.data?.status === "object" ? err.data.status.error : undefined;
  return { message: detail ?? (e as Error)?.message ?? String(e), status };
}

/**
 * Runs `fn`, retrying transient failures with exponential backoff. Gives up with
 * VectorStoreUnavailableError (-> 503); a refused request becomes VectorStoreRequestError at once.
 */
export async function withRetry<T>(
  what: string,
  url: string,
  policy: RetryPolicy,
  fn: () => Promise<T>,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (!isTransient(e)) {
        const { message, status } = describe(e);
        throw new VectorStoreRequestError(`vector store refused ${what}: ${message}`, status, { cause: e });
      }
      if (attempt >= policy.attempts) throw new VectorStoreUnavailableError(url, { cause: e });
      const delay = policy.baseMs * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
