/**
 * The one role-to-action table. Every authorization decision about people (and keys they create) is
 * read from here; the README prints this table. The three API-key scopes are actions too, so existing
 * routes that ask for a scope work unchanged for a signed-in person.
 */
export const ROLES = ["owner", "admin", "developer", "viewer", "billing"] as const;
export type Role = (typeof ROLES)[number];

/** What an API key may do; each scope is also an action below. */
export type ApiScope = "admin" | "ingest" | "query";

export const ACTIONS = [
  // The API-key scopes: `admin` (knowledge bases, keys of everyone, audit, eval questions),
  // `ingest` (upload/delete documents), `query` (search, ask, eval runs).
  "admin",
  "ingest",
  "query",
  /** Create API keys (never beyond one's own rights) and revoke the keys one created. */
  "keys.create",
  /** See the whole organization's usage and cost (without it: only one's own key or session). */
  "usage.read",
  "members.read",
  /** Invite, change roles, remove members (except owners). */
  "members.manage",
  /** Grant or take the owner role, remove owners. */
  "owners.manage",
  "sso.manage",
  "billing.manage",
] as const;
export type Action = (typeof ACTIONS)[number];

export const ROLE_ACTIONS: Record<Role, readonly Action[]> = {
  owner: [
    "admin",
    "ingest",
    "query",
    "keys.create",
    "usage.read",
    "members.read",
    "members.manage",
    "owners.manage",
    "sso.manage",
    "billing.manage",
  ],
  admin: [
    "admin",
    "ingest",
    "query",
    "keys.create",
    "usage.read",
    "members.read",
    "members.manage",
    "sso.manage",
  ],
  developer: ["ingest", "query", "keys.create", "members.read"],
  viewer: ["query", "members.read"],
  billing: ["usage.read", "members.read", "billing.manage"],
};

/** What an API key's scopes allow; `admin` is what it always was: everything in its tenant. */
const SCOPE_ACTIONS: Record<ApiScope, readonly Action[]> = {
  admin: ROLE_ACTIONS.admin,
  ingest: ["ingest"],
  query: ["query"],
};

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function actionsOfScopes(scopes: readonly string[]): Set<Action> {
  const out = new Set<Action>();
  for (const s of scopes) for (const a of SCOPE_ACTIONS[s as ApiScope] ?? []) out.add(a);
  return out;
}

export function actionsOfRole(role: string): Set<Action> {
  return new Set(isRole(role) ? ROLE_ACTIONS[role] : []);
}

/** A key created by a member: its scopes, capped by what the member's role allows today. */
export function capActions(keyActions: ReadonlySet<Action>, memberActions: ReadonlySet<Action>): Set<Action> {
  return new Set([...keyActions].filter((a) => memberActions.has(a)));
}

/** The scopes (coarse actions) an action set holds, for the existing scope guards and key listings. */
export function scopesOf(actions: ReadonlySet<Action>): ApiScope[] {
  return (["admin", "ingest", "query"] as const).filter((s) => actions.has(s));
}

/** Whether granting `role` is within the rights of someone holding `actions` (owners only by owners). */
export function canGrant(actions: ReadonlySet<Action>, role: Role): boolean {
  if (role === "owner") return actions.has("owners.manage");
  return actions.has("members.manage");
}

/** The caller's actions: from the middleware, or (contexts built by hand) from the key's scopes. */
export function actionsOf(auth: {
  actions?: ReadonlySet<Action>;
  scopes: readonly string[];
}): ReadonlySet<Action> {
  return auth.actions ?? actionsOfScopes(auth.scopes);
}
