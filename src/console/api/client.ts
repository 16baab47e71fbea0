import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "../../sdk/typescript/src/schema.generated";
import { authHeaders } from "../auth/session";

export type Schemas = components["schemas"];
export type Problem = Schemas["Problem"];

/** An API error as the console shows it: the stable code picks the localized message. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly fields: { field: string; message: string }[] = [],
  ) {
    super(detail);
  }
}

/** Turns a non-2xx response into an ApiProblem (problem+json when the API sent one). */
export async function problemFrom(res: Response): Promise<ApiProblem> {
  const text = await res.text().catch(() => "");
  try {
    const body = JSON.parse(text) as Partial<Problem>;
    return new ApiProblem(res.status, body.code ?? "internal_error", body.detail ?? text, body.errors ?? []);
  } catch {
    return new ApiProblem(res.status, res.status === 404 ? "not_found" : "internal_error", text);
  }
}

export { authHeaders };

/** A key travels as Bearer; an account's cookie goes by itself, with the CSRF token on unsafe methods. */
const auth: Middleware = {
  onRequest({ request }) {
    for (const [k, v] of Object.entries(authHeaders(request.method))) request.headers.set(k, v);
    return request;
  },
};

/** The one typed client every page uses (types generated from the app's OpenAPI document). */
export const api = createClient<paths>({ baseUrl: window.location.origin });
api.use(auth);

/** Unwraps an openapi-fetch result: the data, or a thrown ApiProblem for TanStack Query to show. */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await call;
  if (error !== undefined || !response.ok) {
    const p = (error ?? {}) as Partial<Problem>;
    throw new ApiProblem(
      response.status,
      p.code ?? "internal_error",
      p.detail ?? response.statusText,
      p.errors,
    );
  }
  return data as T;
}

/**
 * Raw fetch with the same auth, for what openapi-fetch cannot express: streamed bodies (SSE),
 * multipart uploads with progress, CSV, and routes not yet in the generated types.
 */
export function rawFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  for (const [k, v] of Object.entries(authHeaders(init.method))) headers.set(k, v);
  return fetch(path, { ...init, headers });
}
