import type { Problem } from "./types.js";

/**
 * Every non-2xx answer, with the API's problem fields (code, detail, requestId, and `errors` naming the
 * fields for validation failures), so callers branch on `code` rather than on message text.
 */
export class AiHubError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly requestId: string | undefined;
  readonly errors: { field: string; message: string }[];
  readonly problem: Partial<Problem>;
  readonly retryAfterSeconds: number | undefined;

  constructor(status: number, problem: Partial<Problem>, retryAfterSeconds?: number) {
    const detail = problem.detail ?? problem.title ?? `HTTP ${status}`;
    super(`${status} ${problem.code ?? "error"}: ${detail}`);
    this.name = "AiHubError";
    this.status = status;
    this.code = problem.code ?? "error";
    this.detail = detail;
    this.requestId = problem.request_id ?? problem.requestId ?? undefined;
    this.errors = (problem as { errors?: { field: string; message: string }[] }).errors ?? [];
    this.problem = problem;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** A network failure or a connection lost mid-stream, after the retries ran out. */
export class AiHubConnectionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "AiHubConnectionError";
  }
}
