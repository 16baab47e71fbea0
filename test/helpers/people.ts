import type { Mailer, MailMessage } from "../../src/mail/types.js";
import { responseBody, type TestApp } from "./app.js";

/** Keeps every mail in memory: the SMTP boundary for tests that are not about delivery itself. */
export function memoryMailer(): Mailer & { sent: MailMessage[]; lastTo(email: string): MailMessage } {
  const sent: MailMessage[] = [];
  return {
    kind: "smtp",
    sent,
    async send(m) {
      sent.push(m);
    },
    lastTo(email) {
      const m = [...sent].reverse().find((x) => x.to === email.toLowerCase());
      if (!m) throw new Error(`no mail to ${email}`);
      return m;
    },
  };
}

export function tokenOf(link: string | undefined): string {
  const token = link ? new URL(link).searchParams.get("token") : null;
  if (!token) throw new Error(`no token in ${link}`);
  return token;
}

export interface Browser {
  cookie: string | null;
  csrf: string | null;
  call(
    method: string,
    path: string,
    opts?: { body?: unknown; csrf?: boolean | string; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Headers }>;
}

/** A browser: keeps the session cookie it is given and sends the CSRF token on unsafe methods. */
export function browser(app: TestApp["app"]): Browser {
  const b: Browser = {
    cookie: null,
    csrf: null,
    async call(method, path, opts = {}) {
      const headers: Record<string, string> = { ...opts.headers };
      if (b.cookie) headers.cookie = b.cookie;
      const sendCsrf = opts.csrf ?? true;
      if (typeof sendCsrf === "string") headers["x-csrf-token"] = sendCsrf;
      else if (sendCsrf && b.csrf && !["GET", "HEAD"].includes(method)) headers["x-csrf-token"] = b.csrf;
      let body: string | FormData | undefined;
      // Multipart bodies go as they are: fetch sets the content type with its boundary.
      if (opts.body instanceof FormData) body = opts.body;
      else if (opts.body !== undefined) {
        const raw = typeof opts.body === "string" && headers["content-type"];
        body = raw ? (opts.body as string) : JSON.stringify(opts.body);
        headers["content-type"] ??= "application/json";
      }
      const res = await app.request(path, { method, headers, body });
      const setCookie = res.headers.get("set-cookie");
      if (setCookie?.startsWith("aih_session=")) {
        const value = setCookie.split(";")[0]!;
        b.cookie = value === "aih_session=" ? null : value;
      }
      const parsed = (await responseBody(res)) as any;
      if (parsed && typeof parsed === "object" && typeof parsed.csrf_token === "string")
        b.csrf = parsed.csrf_token;
      if (parsed?.session?.csrf_token) b.csrf = parsed.session.csrf_token;
      return { status: res.status, body: parsed, headers: res.headers };
    },
  };
  return b;
}

export const PASSWORD = "violet-harbor-lantern-42";

/** Signs up, follows the verification mail, signs in; returns the signed-in browser and ids. */
export async function signedUpPerson(
  t: TestApp,
  mailer: ReturnType<typeof memoryMailer>,
  email: string,
  extra: Record<string, unknown> = {},
) {
  const b = browser(t.app);
  const up = await b.call("POST", "/v1/auth/sign-up", { body: { email, password: PASSWORD, ...extra } });
  if (up.status !== 201) throw new Error(`sign-up ${up.status} ${JSON.stringify(up.body)}`);
  const token = tokenOf(mailer.lastTo(email).link);
  const v = await b.call("POST", "/v1/auth/email/verify", { body: { token } });
  if (v.status !== 200) throw new Error(`verify ${v.status} ${JSON.stringify(v.body)}`);
  const s = await b.call("POST", "/v1/auth/sign-in", { body: { email, password: PASSWORD } });
  if (s.status !== 200) throw new Error(`sign-in ${s.status} ${JSON.stringify(s.body)}`);
  return { browser: b, userId: up.body.user.id as string, orgId: up.body.organization?.id as string };
}

/** Invites `email` into the inviter's current organization with `role`; the invitee accepts as a new account. */
export async function invitedPerson(
  t: TestApp,
  mailer: ReturnType<typeof memoryMailer>,
  inviter: Browser,
  orgId: string,
  email: string,
  role: string,
) {
  const inv = await inviter.call("POST", `/v1/orgs/${orgId}/invitations`, { body: { email, role } });
  if (inv.status !== 201) throw new Error(`invite ${inv.status} ${JSON.stringify(inv.body)}`);
  const b = browser(t.app);
  const acc = await b.call("POST", "/v1/auth/invitations/accept", {
    body: { token: tokenOf(mailer.lastTo(email).link), password: PASSWORD },
  });
  if (acc.status !== 200) throw new Error(`accept ${acc.status} ${JSON.stringify(acc.body)}`);
  return { browser: b, userId: acc.body.session.user.id as string };
}
