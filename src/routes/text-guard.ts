import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context.js";
import { ApiError } from "../errors.js";

/**
 * The one place that keeps text PostgreSQL cannot store, or that is not text at all, out of the service:
 * NUL characters (PostgreSQL text and jsonb reject them) and unpaired UTF-16 surrogates (not valid
 * Unicode; they fail when encoded to UTF-8). Every path segment, query parameter and JSON string
 * (keys included) is checked before any handler runs; uploads check their form fields and filename
 * through `assertCleanText` as they read them. The 400 names the field.
 */
const BAD_TEXT = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string is refused, or null when it is fine. */
export function badTextReason(value: string): string | null {
  const m = BAD_TEXT.exec(value);
  if (!m) return null;
  return m[0] === "\0"
    ? "contains a NUL character (U+0000)"
    : "contains an unpaired UTF-16 surrogate (not valid Unicode)";
}

function invalid(field: string, reason: string): ApiError {
  return new ApiError("validation_failed", `${field} ${reason}; remove it and send valid text.`, {
    errors: [{ field, message: reason }],
  });
}

export function assertCleanText(value: string, field: string): void {
  const reason = badTextReason(value);
  if (reason) throw invalid(field, reason);
}

/** Depth past which a JSON body is not walked further: bodies are size-limited, nesting is not. */
const MAX_WALK_DEPTH = 64;

/** The first bad string in a parsed JSON value (keys and values), with its dotted path. */
export function findBadJsonText(
  value: unknown,
  path = "",
  depth = 0,
): { field: string; reason: string } | null {
  if (typeof value === "string") {
    const reason = badTextReason(value);
    return reason ? { field: path || "(body)", reason } : null;
  }
  if (value === null || typeof value !== "object" || depth > MAX_WALK_DEPTH) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findBadJsonText(value[i], path ? `${path}.${i}` : String(i), depth + 1);
      if (hit) return hit;
    }
    return null;
  }
  for (const [k, v] of Object.entries(value)) {
    const keyReason = badTextReason(k);
    const at = path ? `${path}.${k}` : k;
    if (keyReason) return { field: path ? `${path} (a key)` : "(a key)", reason: `key ${keyReason}` };
    const hit = findBadJsonText(v, at, depth + 1);
    if (hit) return hit;
  }
  return null;
}

const JSON_TYPE = /^application\/([\w.-]+\+)?json/i;

export const textGuard = createMiddleware<AppEnv>(async (c, next) => {
  const url = new URL(c.req.url);
  for (const segment of url.pathname.split("/")) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw invalid("path", "is not valid percent-encoded UTF-8");
    }
    const reason = badTextReason(decoded);
    if (reason) throw invalid("path", reason);
  }
  for (const [name, value] of url.searchParams) {
    // URLSearchParams turns invalid UTF-8 into U+FFFD; only NUL can arrive here, but both are checked.
    const reason = badTextReason(name) ?? badTextReason(value);
    if (reason) throw invalid(badTextReason(name) ? "(query parameter name)" : name, reason);
  }
  if (JSON_TYPE.test(c.req.header("content-type") ?? "") && c.req.method !== "GET") {
    let body: unknown;
    try {
      // Hono caches the parsed body, so the route's validator does not parse it again.
      body = await c.req.json();
    } catch {
      body = undefined; // malformed JSON: the route's validator answers with its own 400
    }
    const hit = findBadJsonText(body);
    if (hit) throw invalid(hit.field, hit.reason);
  }
  await next();
});
