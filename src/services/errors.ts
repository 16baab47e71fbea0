/**
 * The errors domain verbs throw (issue 20). They carry a stable code, a message that says what to do,
 * and data; they know nothing about HTTP. `src/errors.ts` maps them to problem+json in one place:
 * the code picks the status, `retryAfterSeconds` becomes a `retry-after` header, `fields` becomes the
 * body's `errors`, and `data` is merged into the body. Verbs import from here, never from `src/errors.ts`.
 */
export type ServiceErrorCode =
  | "bad_request"
  | "validation_failed"
  | "unauthorized"
  | "invalid_credentials"
  | "payment_required"
  | "budget_exceeded"
  | "quota_exceeded"
  | "insufficient_funds"
  | "forbidden"
  | "email_not_verified"
  | "not_found"
  | "conflict"
  | "gone"
  | "payload_too_large"
  | "unsupported_media_type"
  | "rate_limited"
  | "too_many_attempts"
  | "not_implemented"
  | "upstream_error"
  | "unavailable"
  | "origin_not_allowed"
  | "visitor_token_invalid"
  | "cap_reached"
  | "plugin_timeout"
  | "plugin_memory"
  | "plugin_crashed"
  | "plugin_bad_output"
  | "plugin_permission_denied"
  | "plugin_invalid"
  | "embedder_not_enabled"
  | "kb_not_empty";

export interface ServiceFieldError {
  field: string;
  message: string;
}

export interface ServiceErrorDetails {
  /** Per-field problems of the input (the body's `errors`). */
  fields?: ServiceFieldError[];
  /** When a retry may succeed; the transport turns it into a retry-after hint. */
  retryAfterSeconds?: number;
  /** Extra machine-readable facts (e.g. quota, use, limit), merged into the error body. */
  data?: Record<string, unknown>;
}

export class ServiceError extends Error {
  constructor(
    readonly code: ServiceErrorCode,
    message: string,
    readonly details: ServiceErrorDetails = {},
  ) {
    super(message);
    this.name = "ServiceError";
  }
}

export class NotFoundError extends ServiceError {
  constructor(what: string, id: string) {
    super("not_found", `${what} ${id} does not exist or is not visible to this API key.`);
  }
}

export class ConflictError extends ServiceError {
  constructor(message: string, details?: ServiceErrorDetails) {
    super("conflict", message, details);
  }
}

export class ForbiddenError extends ServiceError {
  constructor(message: string, details?: ServiceErrorDetails) {
    super("forbidden", message, details);
  }
}

export class ValidationError extends ServiceError {
  constructor(message: string, fields?: ServiceFieldError[]) {
    super("validation_failed", message, fields ? { fields } : {});
  }
}

/** A limit was reached (quota, budget, cap, rate): the code says which kind; data names the limit. */
export class LimitExceededError extends ServiceError {}

/** A dependency is down or busy; retryable after `retryAfterSeconds`. */
export class UnavailableError extends ServiceError {
  constructor(message: string, retryAfterSeconds = 5, data?: Record<string, unknown>) {
    super("unavailable", message, { retryAfterSeconds, ...(data ? { data } : {}) });
  }
}

/** A plugin failed its own call (timeout, memory, crash, refused permission); `data.plugin` names it. */
export class PluginError extends ServiceError {
  constructor(code: Extract<ServiceErrorCode, `plugin_${string}`>, plugin: string, message: string) {
    super(code, `Plugin ${plugin}: ${message}`, { data: { plugin } });
  }
}

export const isServiceError = (err: unknown): err is ServiceError => err instanceof ServiceError;
