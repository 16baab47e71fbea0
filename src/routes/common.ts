import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../context.js";
import { ApiError, ERROR_CODES, type ErrorCode } from "../errors.js";

/** A router whose validation failures go through the one error path, naming each failing field. */
export function newRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        const errors = result.error.issues.map((i) => ({
          field: fieldName(i.path, i),
          message: i.message,
        }));
        const summary = errors.map((e) => `${e.field}: ${e.message}`).join("; ");
        throw new ApiError("validation_failed", `Request ${result.target} is invalid: ${summary}`, {
          errors,
        });
      }
    },
  });
}

function fieldName(path: PropertyKey[], issue: { code: string; keys?: string[] }): string {
  const base = path.map(String).join(".");
  // Unknown keys are reported on the parent object; name the key itself so users can find it.
  if (issue.code === "unrecognized_keys" && issue.keys?.length) {
    return issue.keys.map((k) => (base ? `${base}.${k}` : k)).join(",");
  }
  return base || "(body)";
}

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: "https://docs.ai-hub.dev/errors/not_found" }),
    title: z.string().openapi({ example: "Not found" }),
    status: z.number().int().openapi({ example: 404 }),
    detail: z
      .string()
      .openapi({ example: "Knowledge base kb_01 does not exist or is not visible to this API key." }),
    code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]),
    request_id: z.string().nullable().openapi({ example: "req_01hx..." }),
    requestId: z
      .string()
      .nullable()
      .openapi({ deprecated: true, description: "Same as request_id; kept for existing clients." }),
    errors: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .openapi({ description: "For validation failures: each failing field and why." }),
  })
  .openapi("Problem");

const ERROR_DESCRIPTIONS: Partial<Record<number, string>> = {
  400: "The request is malformed or fails validation; `errors` names the fields.",
  401: "Missing, unknown, revoked or expired API key.",
  402: "The call could exceed the monthly budget of the key or tenant.",
  403: "The API key lacks the scope this operation needs.",
  404: "The resource does not exist or belongs to someone else.",
  409: "The request conflicts with the current state.",
  413: "The body is larger than the documented limit.",
  415: "The content type is not supported.",
  429: "Rate limit exceeded; retry after `Retry-After` seconds.",
  503: "A dependency is unavailable; retry later.",
};

/** Shared error responses for createRoute; every operation lists the ones it can return. */
export function errorResponses(...statuses: number[]) {
  const all = [...new Set([400, 401, 500, ...statuses])];
  return Object.fromEntries(
    all.map((s) => [
      s,
      {
        description: ERROR_DESCRIPTIONS[s] ?? "Unexpected error; report the requestId.",
        content: { "application/problem+json": { schema: ProblemSchema } },
      },
    ]),
  );
}

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50).openapi({ description: "Page size (1-200)." }),
  cursor: z.string().max(64).optional().openapi({ description: "The `next_cursor` of the previous page." }),
});

export const security = [{ bearerAuth: [] }];

export function jsonBody<T extends z.ZodType>(schema: T, description?: string) {
  return { required: true, description, content: { "application/json": { schema } } } as const;
}

export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { "application/json": { schema } } } as const;
}

export const isoDate = (d: Date | null | undefined) => (d ? d.toISOString() : null);
