import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { isDatabaseUnavailable } from "./db/unavailable.js";
import { ServiceError } from "./services/errors.js";
import { VectorStoreUnavailableError } from "./vector/errors.js";

/**
 * The one error type of the API. Every 4xx/5xx leaves the service through `problemResponse`
 * with the same body: { type, title, status, detail, code, request_id, errors? } (+ requestId, deprecated).
 */
export const ERROR_CODES = {
  bad_request: 400,
  validation_failed: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  payment_required: 402,
  budget_exceeded: 402,
  quota_exceeded: 402,
  insufficient_funds: 402,
  forbidden: 403,
  csrf_failed: 403,
  email_not_verified: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  gone: 410,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  too_many_attempts: 429,
  internal_error: 500,
  not_implemented: 501,
  upstream_error: 502,
  unavailable: 503,
  // public embed endpoints (issue 14)
  origin_not_allowed: 403,
  visitor_token_invalid: 401,
  cap_reached: 429,
  // plugins (issue 19): a plugin failed its own work; the service is fine
  plugin_timeout: 502,
  plugin_memory: 502,
  plugin_crashed: 502,
  plugin_bad_output: 502,
  plugin_permission_denied: 403,
  plugin_invalid: 400,
  // embedder plugins (issue 19): a knowledge base's embedder
  embedder_not_enabled: 400,
  kb_not_empty: 409,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface FieldError {
  field: string;
  message: string;
}

const TITLES: Record<ErrorCode, string> = {
  bad_request: "Bad request",
  validation_failed: "Validation failed",
  unauthorized: "Unauthorized",
  invalid_credentials: "Invalid credentials",
  payment_required: "Payment required",
  budget_exceeded: "Budget exceeded",
  quota_exceeded: "Quota exceeded",
  insufficient_funds: "Wallet balance too low",
  forbidden: "Forbidden",
  csrf_failed: "CSRF token missing or wrong",
  email_not_verified: "Email not verified",
  not_found: "Not found",
  method_not_allowed: "Method not allowed",
  conflict: "Conflict",
  gone: "Link expired or already used",
  payload_too_large: "Payload too large",
  unsupported_media_type: "Unsupported media type",
  rate_limited: "Too many requests",
  too_many_attempts: "Too many failed attempts",
  internal_error: "Internal server error",
  not_implemented: "Not implemented",
  upstream_error: "Upstream error",
  unavailable: "Service unavailable",
  origin_not_allowed: "Origin not allowed",
  visitor_token_invalid: "Visitor token invalid",
  cap_reached: "Limit reached",
  plugin_timeout: "Plugin ran out of time",
  plugin_memory: "Plugin ran out of memory",
  plugin_crashed: "Plugin crashed",
  plugin_bad_output: "Plugin answered in the wrong shape",
  plugin_permission_denied: "Plugin permission denied",
  plugin_invalid: "Plugin package invalid",
  embedder_not_enabled: "Embedder not enabled",
  kb_not_empty: "Knowledge base has documents",
};

export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly extra: {
      errors?: FieldError[];
      headers?: Record<string, string>;
      data?: Record<string, unknown>;
    } = {},
  ) {
    super(message);
    this.status = ERROR_CODES[code];
  }
}

export function problemBody(err: ApiError, requestId: string | undefined) {
  return {
    type: `https://docs.ai-hub.dev/errors/${err.code}`,
    title: TITLES[err.code],
    status: err.status,
    detail: err.message,
    code: err.code,
    request_id: requestId ?? null,
    // The camelCase spelling from before every payload was snake_case; kept for existing clients.
    requestId: requestId ?? null,
    ...(err.extra.errors ? { errors: err.extra.errors } : {}),
    ...(err.extra.data ?? {}),
  };
}

export function problemResponse(c: Context, err: ApiError): Response {
  const headers: Record<string, string> = {
    "content-type": "application/problem+json",
    ...err.extra.headers,
  };
  const body = problemBody(err, c.get("requestId" as never) as string | undefined);
  return c.body(JSON.stringify(body), err.status as ContentfulStatusCode, headers);
}

/** Maps anything thrown to an ApiError; unknown errors become a 500 that reveals nothing internal. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof ServiceError) return fromServiceError(err);
  if (err instanceof HTTPException) {
    const code = (Object.entries(ERROR_CODES).find(([, s]) => s === err.status)?.[0] ??
      "bad_request") as ErrorCode;
    return new ApiError(code, err.message || TITLES[code]);
  }
  if (err instanceof VectorStoreUnavailableError) {
    return new ApiError("unavailable", (err as Error).message, { headers: { "retry-after": "5" } });
  }
  if (isDatabaseUnavailable(err)) {
    return new ApiError(
      "unavailable",
      "The database did not answer (down, restarting or overloaded); retry in a few seconds.",
      { headers: { "retry-after": "5" } },
    );
  }
  return new ApiError(
    "internal_error",
    "Something went wrong on our side. Retry later; if it persists, report the requestId.",
  );
}

/** The one mapping from a verb's transport-free error to the HTTP problem (issue 20). */
export function fromServiceError(err: ServiceError): ApiError {
  const { fields, retryAfterSeconds, data } = err.details;
  const retry = retryAfterSeconds !== undefined ? Math.max(0, Math.ceil(retryAfterSeconds)) : undefined;
  return new ApiError(err.code, err.message, {
    ...(fields ? { errors: fields } : {}),
    ...(retry !== undefined ? { headers: { "retry-after": String(retry) } } : {}),
    ...(data || retry !== undefined
      ? { data: { ...(retry !== undefined ? { retry_after_seconds: retry } : {}), ...data } }
      : {}),
  });
}
