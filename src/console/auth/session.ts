import type { components } from "../../sdk/typescript/src/schema.generated";

/**
 * Who is signed in. Two kinds of entry, kept in one list so the organization switcher shows both:
 * - "account": a person signed in by email/password or SSO. The credential is the HttpOnly
 *   `aih_session` cookie the browser sends by itself; the CSRF token and the person's organizations
 *   live in memory only (re-read from GET /v1/auth/session after a reload, as the API's contract asks).
 *   The organization the session acts in is kept by the server, so a switch survives a reload.
 * - "api_key": a tenant API key, kept in this browser's localStorage, one per organization.
 */
export type Session = { kind: "api_key"; label: string; key: string } | { kind: "account"; label: string };

export type AccountSession = components["schemas"]["Session"];

const STORE = "aihub.console.sessions";
const ACTIVE = "aihub.console.active";
const listeners = new Set<() => void>();
let account: AccountSession | null = null;

export function sessions(): Session[] {
  try {
    const raw = JSON.parse(localStorage.getItem(STORE) ?? "[]") as Session[];
    if (!Array.isArray(raw)) return [];
    return raw.filter((s) => (s.kind === "account" ? true : typeof s.key === "string"));
  } catch {
    return [];
  }
}

export function activeIndex(): number {
  const i = Number(localStorage.getItem(ACTIVE) ?? "0");
  return Number.isInteger(i) && i >= 0 && i < sessions().length ? i : 0;
}

export function activeSession(): Session | null {
  return sessions()[activeIndex()] ?? null;
}

export function activeKey(): string | null {
  const s = activeSession();
  return s?.kind === "api_key" ? s.key : null;
}

/** The signed-in person's session body while an account entry is active; null for API keys. */
export function activeAccount(): AccountSession | null {
  return activeSession()?.kind === "account" ? account : null;
}

/** The cookie session as last read from the API (whether or not it is the active entry). */
export function accountSession(): AccountSession | null {
  return account;
}

function notify() {
  for (const l of listeners) l();
}

function save(list: Session[], active: number) {
  localStorage.setItem(STORE, JSON.stringify(list));
  localStorage.setItem(ACTIVE, String(active));
  notify();
}

export function signIn(session: Session) {
  const list = sessions().filter((s) =>
    session.kind === "account" ? s.kind !== "account" : !(s.kind === "api_key" && s.key === session.key),
  );
  list.push(session);
  save(list, list.length - 1);
}

/** After sign-in, second factor or a switch: the API's session body is the truth about the account. */
export function setAccount(body: AccountSession) {
  account = body;
  const list = sessions();
  const i = list.findIndex((s) => s.kind === "account");
  if (i < 0) return signIn({ kind: "account", label: body.user.email });
  // Another person may have signed in on this browser since (SSO, an invitation): keep the label true.
  list[i] = { kind: "account", label: body.user.email };
  save(list, activeIndex());
}

export function switchTo(index: number) {
  save(sessions(), index);
}

export function activateAccount() {
  const i = sessions().findIndex((s) => s.kind === "account");
  if (i >= 0) switchTo(i);
}

/** Removes the active entry (the caller has already ended an account session on the server). */
export function signOut() {
  const list = sessions();
  const [gone] = list.splice(activeIndex(), 1);
  if (gone?.kind === "account") account = null;
  save(list, 0);
}

/** Unsafe methods authenticated by the cookie carry the CSRF token; keys travel as Bearer only. */
export function authHeaders(method = "GET"): Record<string, string> {
  const s = activeSession();
  if (s?.kind === "api_key") return { authorization: `Bearer ${s.key}` };
  if (s?.kind === "account" && account && !["GET", "HEAD"].includes(method.toUpperCase()))
    return { "x-csrf-token": account.csrf_token };
  return {};
}

/**
 * Reads the cookie session at start. A person who arrives back from SSO has a cookie but no entry yet
 * (it is added); an entry whose cookie expired or was revoked elsewhere is dropped.
 */
export async function loadAccount(): Promise<void> {
  const res = await fetch("/v1/auth/session", { credentials: "same-origin" }).catch(() => null);
  if (res?.ok) {
    setAccount((await res.json()) as AccountSession);
    return;
  }
  account = null;
  const list = sessions();
  const i = list.findIndex((s) => s.kind === "account");
  if (i >= 0 && res && (res.status === 401 || res.status === 403)) {
    const active = activeIndex();
    list.splice(i, 1);
    save(list, active > i ? active - 1 : active === i ? 0 : active);
  }
}

export function onSessionChange(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}
