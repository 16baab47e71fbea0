/**
 * Who is signed in. Until accounts land (email/password sessions under /v1/auth/..., built in
 * parallel), a session is an API key; several can be kept, one per organization (tenant), and the
 * organization switcher picks the active one. Keys stay in this browser's localStorage only.
 */
export interface Session {
  /** What the switcher shows: the organization's name as the user typed it. */
  label: string;
  key: string;
  /** "api_key" today; account sessions will add their own kind here. */
  kind: "api_key";
}

const STORE = "aihub.console.sessions";
const ACTIVE = "aihub.console.active";
const listeners = new Set<() => void>();

export function sessions(): Session[] {
  try {
    const raw = JSON.parse(localStorage.getItem(STORE) ?? "[]") as Session[];
    return Array.isArray(raw) ? raw.filter((s) => typeof s.key === "string") : [];
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
  return activeSession()?.key ?? null;
}

function save(list: Session[], active: number) {
  localStorage.setItem(STORE, JSON.stringify(list));
  localStorage.setItem(ACTIVE, String(active));
  for (const l of listeners) l();
}

export function signIn(session: Session) {
  const list = sessions().filter((s) => s.key !== session.key);
  list.push(session);
  save(list, list.length - 1);
}

export function switchTo(index: number) {
  save(sessions(), index);
}

export function signOut() {
  const list = sessions();
  list.splice(activeIndex(), 1);
  save(list, 0);
}

export function onSessionChange(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}
