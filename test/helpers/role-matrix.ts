import { existsSync } from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Action, ROLE_ACTIONS, ROLES, type Role } from "../../src/auth/roles.js";
import type { ApiScope } from "../../src/context.js";
import type { TestApp } from "./app.js";
import { type IngestStack, startIngestStack, waitForTerminal } from "./ingest.js";
import { type Browser, invitedPerson, memoryMailer, signedUpPerson } from "./people.js";

/**
 * The role-by-route matrix (issue 12): every /v1 route x every role of src/auth/roles.ts. Allowed means
 * 2xx; a role without the right gets 403 in its own organization; another organization's resource is
 * 404 for a role that holds the right (and still 403 for one that does not: rights are checked first).
 * The expectation of each case comes from its declared action and the one role table, never from the
 * route's code. The matrix is split by API area into several files; each area's file checks that every
 * documented route of its area has a case, and every file checks that every documented route belongs
 * to an area, so a new route fails the matrix until it gets its cases.
 */
export type Need = Action | "member" | "platform";

/** Ids of one organization's seeded resources; a case's path and body are built from them. */
export interface Ids {
  org: string;
  kb: string;
  doc: string;
  question: string;
  run: string;
  key: string;
  file: string;
  conv: string;
  embed: string;
  batch: string;
  /** A bulk import of the knowledge base (issue 18). */
  imp: string;
  /** A plugin id (issue 19): installed by the plugins file's seed; elsewhere just a well-formed name. */
  plugin: string;
  /** A connector of the knowledge base (issue 19): made by the plugins file's seed; elsewhere empty. */
  connector: string;
  /** A solution template id (issue 19): templates are the platform's, the same for every organization. */
  template: string;
}

export interface Case {
  method: string;
  path: (ids: Ids) => string;
  need: Need;
  body?: (ids: Ids) => unknown;
  raw?: boolean;
  /** Fresh own-organization ids for destructive calls (made by the acting person when it matters). */
  fresh?: (role: Role) => Promise<Partial<Ids>>;
  /** Whether another organization's ids are part of the request (then the answer must be 404). */
  scoped: boolean;
  /**
   * For the security cases (test/helpers/route-security.ts), which read this same catalog:
   * `session`: only a signed-in person may call it (account routes); an API key gets 403.
   * `keyScopes`: the key that makes the allowed call, when the smallest scope holding `need` cannot
   * (a conversation is its starter's: only `admin` reads everyone's).
   * `actor`: the signed-in person who makes the allowed call, when it ends or changes the session.
   * `allowedAnswer`: what the allowed call answers when this world lacks a capability the route needs
   * (say why next to it); by default any 2xx.
   */
  session?: boolean;
  keyScopes?: ApiScope[];
  actor?: () => Promise<Browser>;
  allowedAnswer?: string;
}

export interface World {
  t: TestApp;
  mailer: ReturnType<typeof memoryMailer>;
  people: Record<Role, Browser>;
  userIds: Record<Role, string>;
  owner: Browser;
  ownerKeyA: string;
  /** Organization B's owner (signed in) and admin key: the other tenant of the security cases. */
  ownerB: Browser;
  ownerKeyB: string;
  /** Organization A's owner signs in with this email and PASSWORD (test/helpers/people.ts). */
  ownerEmail: string;
  A: Ids;
  B: Ids;
}

export type Area = "core" | "people" | "conversations" | "openai" | "billing" | "plugins" | "templates";

/** Which file of the matrix holds a route, by the path segment after /v1. */
const AREA_OF_SEGMENT: Record<string, Area> = {
  "knowledge-bases": "core",
  documents: "core",
  search: "core",
  ask: "core",
  models: "core",
  usage: "core",
  sla: "core",
  audit: "core",
  keys: "core",
  tenants: "people",
  platform: "people",
  orgs: "people",
  auth: "people",
  conversations: "conversations",
  embeds: "conversations",
  chat: "openai",
  embeddings: "openai",
  responses: "openai",
  files: "openai",
  vector_stores: "openai",
  billing: "billing",
  plugins: "plugins",
  templates: "templates",
};

/**
 * Routes that need no caller at all, and why; the security cases check that no credential changes
 * their answer (test/integration/auth-security.test.ts).
 */
export const PUBLIC_ROUTES: Record<string, string> = {
  "POST /v1/auth/sign-up": "creates the account",
  "POST /v1/auth/sign-in": "creates the session",
  "POST /v1/auth/sign-in/second-factor": "completes a sign-in with its pending token",
  "POST /v1/auth/password/forgot": "e-mails a reset link; answers the same whether the account exists",
  "POST /v1/auth/password/reset": "the e-mailed token is the credential",
  "POST /v1/auth/email/verify": "the e-mailed token is the credential",
  "POST /v1/auth/email/verify/resend": "answers the same whether the account exists",
  "POST /v1/auth/email/change/confirm": "the e-mailed token is the credential",
  "POST /v1/auth/invitations/accept": "the e-mailed token is the credential",
  "GET /v1/auth/sso/{orgId}/start": "starts a sign-in at the organization's identity provider",
  "GET /v1/auth/options": "what the sign-in page offers",
  "POST /v1/auth/sso/discover": "which identity provider signs in an email domain",
  "GET /v1/auth/sso/callback": "the identity provider's signed state is the credential",
  // The widget's endpoints take no key and no session: an embed's origin list and visitor tokens
  // decide (test/integration/embeds-public.test.ts).
  "POST /v1/public/embeds/{embedId}/conversations": "a visitor of an embedding site",
  "POST /v1/public/embeds/{embedId}/conversations/{conversationId}/messages": "a visitor's token",
  "POST /v1/public/embeds/{embedId}/conversations/{conversationId}/messages/{messageId}/feedback":
    "a visitor's token",
  "GET /v1/public/embeds/{embedId}": "the widget's settings for an allowed origin",
  // Payment providers' notifications: no caller, a provider signature (test/integration/billing-*.test.ts).
  "POST /v1/webhooks/stripe": "Stripe's signature is the credential",
  "POST /v1/webhooks/alipay": "Alipay's signature is the credential",
  "POST /v1/webhooks/wechatpay": "WeChat Pay's signature is the credential",
};

/**
 * Routes that act on one's own account (a signed-in person, never a role's right): outside the role
 * matrix; their security cases are in test/integration/auth-security.test.ts.
 */
export const ACCOUNT_ROUTES = new Set([
  "POST /v1/auth/sign-out",
  "POST /v1/auth/session/organization",
  "DELETE /v1/auth/sessions/{id}",
  "POST /v1/auth/sessions/revoke-all",
  "POST /v1/auth/password",
  "POST /v1/auth/email/change",
  "POST /v1/auth/2fa/totp/setup",
  "POST /v1/auth/2fa/totp/enable",
  "POST /v1/auth/2fa/totp/disable",
]);

/** Routes outside the matrix: public ones and one's own account's. */
export const OUTSIDE = new Set([...Object.keys(PUBLIC_ROUTES), ...ACCOUNT_ROUTES]);

/** The matrix area of a documented route ("GET /v1/documents/{id}"), by its path segment after /v1. */
export const areaOf = (route: string): Area | undefined =>
  // A knowledge base's connectors (issue 19) bind plugins: they are the plugins file's, seeded there.
  /^\S+ \/v1\/knowledge-bases\/[^/]+\/connectors/.test(route)
    ? "plugins"
    : AREA_OF_SEGMENT[route.split(" ")[1]!.split("/")[2]!];

const allowed = (need: Need, role: Role) =>
  need === "member" ? true : need === "platform" ? false : ROLE_ACTIONS[role].includes(need);

export const PLACEHOLDERS = Object.fromEntries(
  [
    "org",
    "kb",
    "doc",
    "question",
    "run",
    "key",
    "file",
    "conv",
    "embed",
    "batch",
    "imp",
    "plugin",
    "connector",
    "template",
  ].map((k) => [k, `{${k}}`]),
) as unknown as Ids;
/** "METHOD /path" of a case, with placeholders for its ids (no query string). */
export const routeOf = (c: Case) => `${c.method} ${c.path(PLACEHOLDERS).split("?")[0]}`;
/** A route with its parameter names erased, so `{id}` and `{kb}` compare equal. */
export const norm = (r: string) => r.replace(/\{[^}]+\}/g, "{}");

/** Every "METHOD /v1/path" of the app's own OpenAPI document. */
export async function documentedRoutes(t: TestApp): Promise<string[]> {
  const doc = (await t.call("GET", "/openapi.json")).body;
  return Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([p, ops]) =>
    p.startsWith("/v1/") ? Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`) : [],
  );
}

/** Uploads a text document with an admin key and waits until it is processed. */
export async function uploadText(t: TestApp, key: string, kb: string, text: string): Promise<string> {
  const r = await t.call("POST", `/v1/knowledge-bases/${kb}/documents?filename=${Math.random()}.txt`, {
    key,
    body: text,
    headers: { "content-type": "text/plain" },
  });
  await waitForTerminal(t, key, r.body.id);
  return r.body.id as string;
}

/** The organization both sides start with: a knowledge base, a document, an eval question and run, a key. */
async function seedCore(t: TestApp, b: Browser, key: string, org: string) {
  const kb = (await b.call("POST", "/v1/knowledge-bases", { body: { name: "kb" } })).body.id;
  const doc = await uploadText(t, key, kb, "Trace trees record hot loops. The tracing JIT compiles them.");
  const q = await b.call("POST", `/v1/knowledge-bases/${kb}/evals`, {
    body: { questions: [{ question: "What do trace trees record?", expected: [{ document_id: doc }] }] },
  });
  const run = await b.call("POST", `/v1/knowledge-bases/${kb}/evals/run`, { body: {} });
  const k = await b.call("POST", "/v1/keys", { body: { name: "seed", scopes: ["query"] } });
  const imp = await t.call("POST", `/v1/knowledge-bases/${kb}/documents/bulk`, {
    key,
    body: JSON.stringify({ text: "An imported note." }),
    headers: { "content-type": "application/x-ndjson" },
  });
  return {
    org,
    kb,
    doc,
    question: q.body.data[0].id,
    run: run.body.id,
    key: k.body.id,
    imp: imp.body.batch_id,
  };
}

type Seed = (w: World, side: { browser: Browser; key: string; ids: Ids }) => Promise<Partial<Ids>>;

/**
 * One file of the matrix: organization A with a person of every role, organization B with its owner,
 * both seeded (plus `seed` for the area's own resources); then the coverage checks and a test per case.
 */
export function describeMatrix(area: Area, build: (w: World) => Case[], opts: { seed?: Seed } = {}) {
  let stack: IngestStack;
  const w = { mailer: memoryMailer(), people: {}, userIds: {} } as World;
  const cases = build(w);

  beforeAll(async () => {
    stack = await startIngestStack("pglite", {
      // The security cases fail many authentications on purpose: no per-address throttle here.
      env: {
        PASSWORD_SCRYPT_LOG_N: "12",
        ADMIN_EMAIL: "root@example.com",
        RATE_LIMIT_PER_MINUTE: "0",
        RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: "0",
        // The plugins area binds connectors to a source on 127.0.0.1.
        PLUGIN_ALLOW_PRIVATE_HOSTS: "true",
      },
    });
    w.t = stack.t;
    w.t.deps.mailer = w.mailer;
    w.ownerEmail = "owner-a@example.com";
    const a = await signedUpPerson(w.t, w.mailer, w.ownerEmail, { organization_name: "A" });
    w.owner = a.browser;
    w.people.owner = a.browser;
    w.userIds.owner = a.userId;
    for (const role of ROLES.filter((r) => r !== "owner")) {
      const p = await invitedPerson(w.t, w.mailer, a.browser, a.orgId, `${role}-a@example.com`, role);
      w.people[role] = p.browser;
      w.userIds[role] = p.userId;
    }
    const adminKey = async (b: Browser) =>
      (await b.call("POST", "/v1/keys", { body: { name: "owner", scopes: ["admin"] } })).body.key as string;
    const none = {
      file: "",
      conv: "",
      embed: "",
      batch: "",
      plugin: "example-footer",
      connector: "",
      template: "it-helpdesk",
    };
    w.ownerKeyA = await adminKey(w.owner);
    w.A = { ...(await seedCore(w.t, w.owner, w.ownerKeyA, a.orgId)), ...none };
    const b = await signedUpPerson(w.t, w.mailer, "owner-b@example.com", { organization_name: "B" });
    const keyB = await adminKey(b.browser);
    w.ownerB = b.browser;
    w.ownerKeyB = keyB;
    w.B = { ...(await seedCore(w.t, b.browser, keyB, b.orgId)), ...none };
    if (opts.seed) {
      Object.assign(w.A, await opts.seed(w, { browser: w.owner, key: w.ownerKeyA, ids: w.A }));
      Object.assign(w.B, await opts.seed(w, { browser: b.browser, key: keyB, ids: w.B }));
    }
  }, 240_000);
  afterAll(async () => stack?.close());

  const documented = () => documentedRoutes(w.t);

  it("every documented /v1 route belongs to an area of the matrix, and every area has its file", async () => {
    const unplaced = (await documented()).filter((r) => !OUTSIDE.has(r) && !areaOf(r));
    expect(unplaced).toEqual([]);
    const files = [...new Set(Object.values(AREA_OF_SEGMENT))].map((a) => `people-matrix-${a}.test.ts`);
    expect(files.filter((f) => !existsSync(new URL(`../integration/${f}`, import.meta.url)))).toEqual([]);
  });

  it(`every documented route of the ${area} area has a case, and every case a documented route`, async () => {
    const routes = await documented();
    const mine = routes.filter((r) => !OUTSIDE.has(r) && areaOf(r) === area);
    const covered = new Set(cases.map((c) => norm(routeOf(c))));
    expect(mine.filter((r) => !covered.has(norm(r)))).toEqual([]);
    const known = new Set(routes.map(norm));
    expect(cases.map(routeOf).filter((r) => !known.has(norm(r)))).toEqual([]);
  });

  for (const c of cases) {
    it(routeOf(c), async () => {
      const seen: Record<string, string> = {};
      const want: Record<string, string> = {};
      for (const role of ROLES) {
        const ok = allowed(c.need, role);
        const own = { ...w.A, ...(c.fresh && ok ? await c.fresh(role) : {}) };
        const call = (ids: Ids) =>
          w.people[role].call(c.method, c.path(ids), {
            ...(c.body ? { body: c.body(ids) } : {}),
            ...(c.raw ? { headers: { "content-type": "text/plain" } } : {}),
          });
        const mine = await call(own);
        seen[`${role} own`] = mine.status < 300 ? "allowed" : String(mine.status);
        want[`${role} own`] = ok ? "allowed" : "403";
        if (mine.status >= 300 && ok) seen[`${role} own`] += ` ${JSON.stringify(mine.body).slice(0, 300)}`;
        if (c.scoped) {
          const theirs = await call(w.B);
          seen[`${role} other`] = String(theirs.status);
          want[`${role} other`] = ok ? "404" : "403";
        }
      }
      expect(seen).toEqual(want);
    });
  }
  return w;
}
