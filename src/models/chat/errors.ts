import type { ChatUsage } from "../types.js";

export type ChatErrorCode =
  | "rate_limited"
  | "upstream_error"
  | "timeout"
  | "aborted"
  | "bad_request"
  | "auth_failed";

/**
 * A chat call that failed or was aborted. Carries what was consumed so the caller can still bill it
 * (estimated prompt tokens plus the output streamed so far) and whether any text reached the caller,
 * which decides if falling back to another model is still invisible to the user.
 */
export class ChatError extends Error {
  override readonly name = "ChatError";
  readonly code: ChatErrorCode;
  readonly retryAfterMs?: number;
  readonly beforeFirstToken: boolean;
  readonly usage: ChatUsage;
  /** HTTP status from the provider, when there was one. */
  readonly status?: number;

  constructor(init: {
    code: ChatErrorCode;
    message: string;
    beforeFirstToken: boolean;
    usage: ChatUsage;
    retryAfterMs?: number;
    status?: number;
    cause?: unknown;
  }) {
    super(init.message, { cause: init.cause });
    this.code = init.code;
    this.beforeFirstToken = init.beforeFirstToken;
    this.usage = init.usage;
    if (init.retryAfterMs !== undefined) this.retryAfterMs = init.retryAfterMs;
    if (init.status !== undefined) this.status = init.status;
  }
}

export function isChatError(e: unknown): e is ChatError {
  return e instanceof ChatError;
}
