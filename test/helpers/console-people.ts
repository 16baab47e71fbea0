import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fill } from "../../src/i18n/translate.js";
import type { ConsoleServer } from "./console.js";

/** Catalog lookups for browser selectors ("members.title", "errors:invalid_credentials"). */
export function catalog(locale: string) {
  const root = join(process.cwd(), "src/i18n/locales", locale);
  const ns = {
    console: JSON.parse(readFileSync(join(root, "console.json"), "utf8")),
    errors: JSON.parse(readFileSync(join(root, "errors.json"), "utf8")),
  };
  return (key: string, values: Record<string, string | number> = {}) => {
    const [space, path] = key.includes(":")
      ? (key.split(":") as ["errors", string])
      : (["console", key] as const);
    const text = path.split(".").reduce<any>((o, k) => o?.[k], ns[space]);
    if (typeof text !== "string") throw new Error(`no catalog entry ${locale}/${key}`);
    return fill(text, values);
  };
}

/**
 * The token of the e-mailed link to `email` at `page` (verify-email, accept-invitation). Without
 * SMTP_URL the server writes each mail's link to its log, which is what an install without e-mail does.
 */
export async function mailedToken(srv: ConsoleServer, email: string, page: string): Promise<string> {
  const quoted = email.replace(/[.+]/g, "\\$&");
  const re = new RegExp(
    `sent \\(SMTP_URL is not set\\) to ${quoted}:[^\\n]*?/auth/${page}\\?token=([A-Za-z0-9_-]+)`,
  );
  const [, token] = await srv.server.waitFor(re, 20_000);
  return token!;
}

/** A person's cookie session over plain HTTP, for arranging what the browser test then looks at. */
export class AccountClient {
  cookie = "";
  csrf = "";
  constructor(readonly base: string) {}

  async call(method: string, path: string, body?: unknown): Promise<any> {
    const headers: Record<string, string> = {};
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrf && method !== "GET") headers["x-csrf-token"] = this.csrf;
    if (body !== undefined) headers["content-type"] = "application/json";
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const set = res.headers.get("set-cookie");
    if (set?.startsWith("aih_session=")) this.cookie = set.split(";")[0]!;
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    const parsed = text ? JSON.parse(text) : null;
    if (typeof parsed?.csrf_token === "string") this.csrf = parsed.csrf_token;
    if (typeof parsed?.session?.csrf_token === "string") this.csrf = parsed.session.csrf_token;
    return parsed;
  }
}

/** Signs up (creating `org`), opens the verification link and signs in: a person ready to arrange things. */
export async function verifiedPerson(srv: ConsoleServer, email: string, password: string, org: string) {
  const client = new AccountClient(srv.base);
  await client.call("POST", "/v1/auth/sign-up", { email, password, organization_name: org });
  const token = await mailedToken(srv, email, "verify-email");
  await client.call("POST", "/v1/auth/email/verify", { token });
  const session = await client.call("POST", "/v1/auth/sign-in", { email, password });
  return { client, session, orgId: session.organization.id as string };
}
