import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { totpCode } from "../../src/auth/totp.js";
import { createTestApp } from "../helpers/app.js";
import { openTestDatabase, type TestDatabase } from "../helpers/database.js";
import { type Browser, memoryMailer, PASSWORD, signedUpPerson } from "../helpers/people.js";
import {
  ACCOUNT_ROUTES,
  areaOf,
  type Case,
  documentedRoutes,
  type Ids,
  PUBLIC_ROUTES,
} from "../helpers/role-matrix.js";
import {
  describePublicRoutes,
  describeRouteSecurity,
  type SecurityWorld,
  signIn,
} from "../helpers/route-security.js";

/**
 * The security cases of the routes outside the role matrix (issue 20): one's own account (sign-out,
 * sessions, password, e-mail, second factor) takes a signed-in person and never an API key; public
 * routes answer the same with or without any credential. And the whole API: every documented /v1
 * route is in an area's matrix file, here, or public with a reason.
 */
const mailer = memoryMailer();
const w = { people: {} } as SecurityWorld;
let db: TestDatabase;
let n = 0;

/** A new person with an organization of their own, signed in: calls that end sessions need one. */
const person = async (): Promise<Browser> =>
  (await signedUpPerson(w.t, mailer, `acct-${n++}@example.com`, { organization_name: `P${n}` })).browser;

/** A person with TOTP set up (enrolment started), and the secret their authenticator holds. */
async function enrolled(): Promise<{ b: Browser; secret: string }> {
  const b = await person();
  const r = await b.call("POST", "/v1/auth/2fa/totp/setup");
  if (r.status !== 200) throw new Error(`totp setup ${r.status} ${JSON.stringify(r.body)}`);
  return { b, secret: r.body.secret };
}

let enrolling = "";
const cases: Case[] = [
  {
    method: "POST",
    path: () => "/v1/auth/sign-out",
    need: "member",
    session: true,
    actor: () => signIn(w.t, w.ownerEmail),
    scoped: false,
  },
  {
    method: "POST",
    path: () => "/v1/auth/session/organization",
    need: "member",
    session: true,
    body: (i) => ({ organization_id: i.org }),
    // Another organization's owner asking to act in this one: 404, as if it did not exist.
    scoped: true,
  },
  {
    method: "DELETE",
    path: (i) => `/v1/auth/sessions/${i.key}`,
    need: "member",
    session: true,
    // A second session of A's owner, ended by the first; another person's session is 404 to anyone else.
    fresh: async () => {
      const other = await signIn(w.t, w.ownerEmail);
      return { key: (await other.call("GET", "/v1/auth/session")).body.session_id as string };
    },
    scoped: true,
  },
  {
    method: "POST",
    path: () => "/v1/auth/sessions/revoke-all",
    need: "member",
    session: true,
    actor: person,
    scoped: false,
  },
  {
    method: "POST",
    path: () => "/v1/auth/password",
    need: "member",
    session: true,
    body: () => ({ current_password: PASSWORD, new_password: "amber-meadow-compass-77" }),
    actor: person,
    scoped: false,
  },
  {
    method: "POST",
    path: () => "/v1/auth/email/change",
    need: "member",
    session: true,
    body: () => ({ new_email: `moved-${n++}@example.com`, password: PASSWORD }),
    actor: person,
    scoped: false,
  },
  {
    method: "POST",
    path: () => "/v1/auth/2fa/totp/setup",
    need: "member",
    session: true,
    actor: person,
    scoped: false,
  },
  {
    method: "POST",
    path: () => "/v1/auth/2fa/totp/enable",
    need: "member",
    session: true,
    // The refused calls send a well-formed code; the allowed one the code of the actor's secret.
    body: () => ({ code: enrolling ? totpCode(enrolling) : "000000" }),
    actor: async () => {
      const { b, secret } = await enrolled();
      enrolling = secret;
      return b;
    },
    scoped: false,
  },
  {
    method: "POST",
    path: () => "/v1/auth/2fa/totp/disable",
    need: "member",
    session: true,
    body: () => ({ password: PASSWORD }),
    actor: async () => {
      const { b, secret } = await enrolled();
      const on = await b.call("POST", "/v1/auth/2fa/totp/enable", { body: { code: totpCode(secret) } });
      if (on.status !== 200) throw new Error(`totp enable ${on.status} ${JSON.stringify(on.body)}`);
      return b;
    },
    scoped: false,
  },
];

describe("security cases: one's own account, public routes, and every documented route", () => {
  beforeAll(async () => {
    db = await openTestDatabase("pglite");
    w.t = await createTestApp(
      db,
      {},
      { PASSWORD_SCRYPT_LOG_N: "12", RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: "0" },
    );
    w.t.deps.mailer = mailer;
    w.ownerEmail = "owner-a@example.com";
    const none = {
      kb: "",
      doc: "",
      question: "",
      run: "",
      key: "",
      file: "",
      conv: "",
      embed: "",
      batch: "",
      imp: "",
      plugin: "",
      connector: "",
      template: "",
    };
    const a = await signedUpPerson(w.t, mailer, w.ownerEmail, { organization_name: "A" });
    const b = await signedUpPerson(w.t, mailer, "owner-b@example.com", { organization_name: "B" });
    w.owner = a.browser;
    w.people.owner = a.browser;
    w.ownerB = b.browser;
    w.A = { ...none, org: a.orgId } satisfies Ids;
    w.B = { ...none, org: b.orgId };
  }, 60_000);
  afterAll(async () => db?.cleanup());

  it("every documented /v1 route has security cases: in its area's matrix file, here, or public", async () => {
    const routes = await documentedRoutes(w.t);
    const uncovered = routes.filter((r) => !areaOf(r) && !ACCOUNT_ROUTES.has(r) && !(r in PUBLIC_ROUTES));
    expect(uncovered).toEqual([]);
    // A route is one kind only, and every listed route still exists.
    expect([...ACCOUNT_ROUTES].filter((r) => r in PUBLIC_ROUTES)).toEqual([]);
    const listed = [...ACCOUNT_ROUTES, ...Object.keys(PUBLIC_ROUTES)];
    expect(listed.filter((r) => !routes.includes(r))).toEqual([]);
  });

  describeRouteSecurity("account", w, cases);
  describePublicRoutes(() => w.t);
});
