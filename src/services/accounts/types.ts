import type { AppDeps, AuthContext } from "../../context.js";

/** What verbs reachable without an API key or session get: no AuthContext, but who is knocking. */
export interface PublicCtx {
  deps: AppDeps;
  requestId: string;
  /** Client address, for throttling and session listings. */
  address: string;
  userAgent: string | null;
  /** Accept-Language of the request, for the language of e-mails to new people. */
  locale: string | null;
}

/** A signed-in person (cookie session) or a member's key, acting on their own account. */
export interface AccountCtx {
  deps: AppDeps;
  requestId: string;
  auth: AuthContext & { userId: string };
}
