import { eq } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { type Action, actionsOfScopes, ROLE_ACTIONS, ROLES } from "../../src/auth/roles.js";
import { sha256 } from "../../src/auth/tokens.js";
import type { ApiScope } from "../../src/context.js";
import { apiKeys, sessions } from "../../src/db/schema.js";
import { PLATFORM_KEY, responseBody, type TestApp } from "./app.js";
import { type Browser, browser, PASSWORD } from "./people.js";
import {
  ACCOUNT_ROUTES,
  type Area,
  areaOf,
  type Case,
  documentedRoutes,
  type Ids,
  norm,
  OUTSIDE,
  PUBLIC_ROUTES,
  routeOf,
  type World,
} from "./role-matrix.js";

/**
 * The per-route security cases (issue 20), after unkey's `testutil/common-tests`. For every route of
 * the role matrix's catalog (the `Case` lists in test/integration/people-matrix-*.test.ts, and the
 * account routes in test/integration/auth-security.test.ts) one test sends the route's own request:
 *   - with no credential, a malformed Authorization header, an unknown key, a revoked key, an expired
 *     key, a forged session cookie, a signed-out session and an expired session: 401 `unauthorized`;
 *   - with a credential of this organization that lacks the right: 403 `forbidden` (a key without the
 *     scope; for routes only people may call, an API key; for platform routes, a tenant admin key);
 *   - with another organization's credential that holds the right, asking for this organization's
 *     resource (`scoped` cases): 404 `not_found`, never 403, so existence does not leak;
 *   - with the right credential: 2xx.
 * Every refusal must be problem+json whose `code` and `status` match. Which credential is "right"
 * comes from the case's `need` and the one role table (src/auth/roles.ts), never from the route.
 * Public routes (PUBLIC_ROUTES in role-matrix.ts, each with its reason) are checked by
 * `describePublicRoutes`: their answer does not depend on any credential.
 *
 * Adding a route: add its `Case` to the matrix file of its area (people-matrix-<area>.test.ts; a new
 * path segment also goes into AREA_OF_SEGMENT) and both the matrix and these cases cover it: each area
 * file calls `describeRouteSecurity(area, w, cases)`, and both fail while a documented route has no
 * case. Set `scoped: true` when the request names an organization's resource (path or body), `fresh`
 * when the allowed call destroys or uses up what it names, `session: true` when API keys may not call
 * it, `keyScopes` when the smallest scope holding `need` is not enough (resources owned by their
 * creator). A route that needs no caller goes into PUBLIC_ROUTES with its reason; one acting on one's
 * own account into ACCOUNT_ROUTES, with its case in auth-security.test.ts.
 */

/** What the security cases need of a test world; the role matrix's World has it all. */
export type SecurityWorld = Pick<World, "t" | "A" | "B" | "owner" | "ownerB" | "ownerEmail"> & {
  people: Partial<World["people"]>;
};

type Reply = { status: number; type: string; body: any };
type Credential = { authorization?: string; cookie?: string | null; csrf?: string | null };

const UNAUTHORIZED = "401 unauthorized";
const SCOPES: ApiScope[] = ["admin", "ingest", "query"];
/** Actions some API key can hold; any other (billing.manage) only a signed-in person has. */
const KEY_ACTIONS = actionsOfScopes(SCOPES);

/** Sends the case's request for `ids` with exactly this credential (no platform key by default). */
async function send(t: TestApp, c: Case, ids: Ids, cred: Credential): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (cred.authorization) headers.authorization = cred.authorization;
  if (cred.cookie) headers.cookie = cred.cookie;
  if (cred.csrf && !["GET", "HEAD"].includes(c.method)) headers["x-csrf-token"] = cred.csrf;
  const raw = c.body?.(ids);
  let body: string | FormData | undefined;
  if (raw instanceof FormData) body = raw;
  else if (raw !== undefined) {
    body = c.raw ? String(raw) : JSON.stringify(raw);
    headers["content-type"] = c.raw ? "text/plain" : "application/json";
  }
  const res = await t.app.request(c.path(ids), { method: c.method, headers, body });
  return { status: res.status, type: res.headers.get("content-type") ?? "", body: await responseBody(res) };
}

/** "allowed", or "<status> <code>" for a uniform problem+json refusal (anything else says so). */
function outcome(r: Reply): string {
  if (r.status < 300) return "allowed";
  const problem =
    r.type.startsWith("application/problem+json") &&
    typeof r.body?.code === "string" &&
    r.body.status === r.status;
  return problem ? `${r.status} ${r.body.code}` : `${r.status} not problem+json`;
}

const bearer = (key: string): Credential => ({ authorization: `Bearer ${key}` });
const as = (b: Browser): Credential => ({ cookie: b.cookie, csrf: b.csrf });

/** The smallest scope set whose key may do `need`, and the largest one that may not. */
export function scopesFor(need: Action | "member"): { right: ApiScope[]; lacking: ApiScope[] | null } {
  if (need === "member") return { right: ["query"], lacking: null };
  const right = SCOPES.filter((s) => actionsOfScopes([s]).has(need)).slice(-1);
  const lacking = SCOPES.filter((s) => !actionsOfScopes([s]).has(need));
  return { right, lacking: lacking.length ? lacking : null };
}

/** A new session of an existing person (email + the test PASSWORD). */
export async function signIn(t: TestApp, email: string): Promise<Browser> {
  const b = browser(t.app);
  const r = await b.call("POST", "/v1/auth/sign-in", { body: { email, password: PASSWORD } });
  if (r.status !== 200) throw new Error(`sign-in ${r.status} ${JSON.stringify(r.body)}`);
  return b;
}

/** Dead credentials of organization A, made once per file; keys of any scope set, made on demand. */
class Credentials {
  private keys = new Map<string, Promise<string>>();
  revokedKey = "";
  expiredKey = "";
  revokedSession = "";
  expiredSession = "";
  constructor(private w: SecurityWorld) {}

  key(side: "A" | "B", scopes: ApiScope[]): Promise<string> {
    const id = `${side} ${[...scopes].sort().join(",")}`;
    if (!this.keys.has(id)) this.keys.set(id, this.mint(side === "A" ? this.w.owner : this.w.ownerB, scopes));
    return this.keys.get(id)!;
  }

  private async mint(b: Browser, scopes: ApiScope[], extra: Record<string, unknown> = {}) {
    return (await this.created(b, scopes, extra)).key;
  }

  private async created(b: Browser, scopes: ApiScope[], extra: Record<string, unknown>) {
    const r = await b.call("POST", "/v1/keys", { body: { name: `security ${scopes}`, scopes, ...extra } });
    if (r.status !== 201) throw new Error(`key ${r.status} ${JSON.stringify(r.body)}`);
    return r.body as { id: string; key: string };
  }

  async prepare(): Promise<void> {
    const { t, owner, ownerEmail } = this.w;
    const db = t.deps.database.db;
    // An expiry date, so it is never the organization's last admin key (which may not be revoked).
    const revoked = await this.created(owner, ["admin"], {
      expires_at: new Date(Date.now() + 86_400_000).toISOString(),
    });
    const del = await owner.call("DELETE", `/v1/keys/${revoked.id}`);
    if (del.status >= 300) throw new Error(`revoke ${del.status} ${JSON.stringify(del.body)}`);
    this.revokedKey = revoked.key;
    // Keys cannot be created already expired: one valid for an hour is moved into the past.
    const expired = await this.created(owner, ["admin"], {
      expires_at: new Date(Date.now() + 3_600_000).toISOString(),
    });
    await db
      .update(apiKeys)
      .set({ expiresAt: new Date(Date.now() - 60_000) })
      .where(eq(apiKeys.id, expired.id));
    this.expiredKey = expired.key;
    const out = await signIn(t, ownerEmail);
    const outCookie = out.cookie!;
    const bye = await out.call("POST", "/v1/auth/sign-out");
    if (bye.status !== 200) throw new Error(`sign-out ${bye.status} ${JSON.stringify(bye.body)}`);
    this.revokedSession = outCookie;
    const old = await signIn(t, ownerEmail);
    const token = old.cookie!.slice(old.cookie!.indexOf("=") + 1);
    await db
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 60_000) })
      .where(eq(sessions.tokenHash, sha256(token)));
    this.expiredSession = old.cookie!;
  }

  /** The credentials no route may accept, by name. */
  dead(): Record<string, Credential> {
    return {
      "no credential": {},
      "malformed Authorization header": { authorization: "Basic c2VjdXJpdHk6Y2FzZXM=" },
      "unknown key": bearer(`aih_00000000_${"0".repeat(32)}`),
      "revoked key": bearer(this.revokedKey),
      "expired key": bearer(this.expiredKey),
      "forged session cookie": { cookie: "aih_session=forged", csrf: "forged" },
      "signed-out session": { cookie: this.revokedSession },
      "expired session": { cookie: this.expiredSession },
    };
  }
}

/** How a case is reached: with a key, or (billing, account routes) only by a signed-in person. */
const bySession = (c: Case) =>
  c.session === true || (c.need !== "member" && c.need !== "platform" && !KEY_ACTIONS.has(c.need));

/** The credential expected to be refused with 403, the allowed one, and the other organization's. */
async function credentialsFor(w: SecurityWorld, creds: Credentials, c: Case) {
  if (c.need === "platform") {
    return { lacking: bearer(await creds.key("A", ["admin"])), right: bearer(PLATFORM_KEY), other: null };
  }
  if (bySession(c)) {
    let lacking: Credential;
    if (c.need === "member") lacking = bearer(await creds.key("A", ["admin"]));
    else {
      const role = ROLES.find((r) => !ROLE_ACTIONS[r].includes(c.need as Action) && w.people[r]);
      if (!role) throw new Error(`${routeOf(c)}: the world has no person lacking ${c.need}`);
      lacking = as(w.people[role]!);
    }
    return { lacking, right: as(c.actor ? await c.actor() : w.owner), other: as(w.ownerB) };
  }
  const { right, lacking } = scopesFor(c.need);
  const scopes = c.keyScopes ?? right;
  return {
    // A platform key is not a tenant's: it may not do what any member of a tenant may.
    lacking: lacking ? bearer(await creds.key("A", lacking)) : bearer(PLATFORM_KEY),
    right: bearer(await creds.key("A", scopes)),
    other: bearer(await creds.key("B", scopes)),
  };
}

/**
 * The security cases of one area's routes: a completeness check and one test per case. Call it in the
 * area's test file after the world is built (describeMatrix, or the account file's own beforeAll).
 */
export function describeRouteSecurity(area: Area | "account", w: SecurityWorld, cases: Case[]): void {
  const creds = new Credentials(w);
  beforeAll(() => creds.prepare(), 60_000);

  it(`security: every documented route of the ${area} area has a security case`, async () => {
    const mine = (await documentedRoutes(w.t)).filter((r) =>
      area === "account" ? ACCOUNT_ROUTES.has(r) : !OUTSIDE.has(r) && areaOf(r) === area,
    );
    const covered = new Set(cases.map((c) => norm(routeOf(c))));
    expect(mine.filter((r) => !covered.has(norm(r)))).toEqual([]);
  });

  for (const c of cases) {
    it(`security: ${routeOf(c)}`, async () => {
      const ids = { ...w.A, ...(c.fresh ? await c.fresh("owner") : {}) };
      const seen: Record<string, string> = {};
      const want: Record<string, string> = {};
      const check = async (name: string, cred: Credential, expected: string, target = ids) => {
        const r = await send(w.t, c, target, cred);
        want[name] = expected;
        seen[name] = outcome(r);
        if (seen[name] !== expected) seen[name] += ` (${JSON.stringify(r.body).slice(0, 200)})`;
      };
      for (const [name, cred] of Object.entries(creds.dead())) await check(name, cred, UNAUTHORIZED);
      const { lacking, right, other } = await credentialsFor(w, creds, c);
      await check("this organization, without the right", lacking, "403 forbidden");
      if (c.scoped && other) await check("another organization, with the right", other, "404 not_found");
      await check("this organization, with the right", right, c.allowedAnswer ?? "allowed");
      expect(seen).toEqual(want);
    });
  }
}

/**
 * Public routes answer the same whatever credential comes along (none, an unknown key, a forged
 * cookie): nothing about them depends on a caller. Each is probed with its path's ids unknown and an
 * empty JSON body; refusals are problem+json, and none is the authentication gate's 401.
 */
export function describePublicRoutes(t: () => TestApp): void {
  it("security: every public route is documented, and has its reason", async () => {
    const routes = new Set((await documentedRoutes(t())).map(norm));
    expect(Object.keys(PUBLIC_ROUTES).filter((r) => !routes.has(norm(r)))).toEqual([]);
    expect(Object.entries(PUBLIC_ROUTES).filter(([, why]) => why.trim().length < 10)).toEqual([]);
  });

  for (const route of Object.keys(PUBLIC_ROUTES)) {
    it(`security: public ${route}`, async () => {
      const [method, path] = route.split(" ") as [string, string];
      const probe: Case = {
        method,
        path: () => path.replace(/\{[^}]+\}/g, "unknown_0000"),
        need: "member",
        scoped: false,
        ...(method === "GET" ? {} : { body: () => ({}) }),
      };
      const seen: Record<string, string> = {};
      for (const [name, cred] of Object.entries({
        "no credential": {},
        "unknown key": bearer(`aih_00000000_${"0".repeat(32)}`),
        "forged session cookie": { cookie: "aih_session=forged", csrf: "forged" },
      })) {
        seen[name] = outcome(await send(t(), probe, {} as Ids, cred));
      }
      const first = seen["no credential"]!;
      expect(first).not.toBe(UNAUTHORIZED);
      expect(first).not.toContain("not problem+json");
      expect(seen).toEqual({ "no credential": first, "unknown key": first, "forged session cookie": first });
    });
  }
}
