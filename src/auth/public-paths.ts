/**
 * Routes reachable without an API key or session: creating an account, signing in, and the targets
 * of e-mailed links. Everything else under /v1 goes through `authenticate`.
 */
const PUBLIC_PATHS = [
  "/v1/auth/options",
  "/v1/auth/sign-up",
  "/v1/auth/sign-in",
  "/v1/auth/password/forgot",
  "/v1/auth/password/reset",
  "/v1/auth/email/verify",
  "/v1/auth/email/change/confirm",
  "/v1/auth/invitations/accept",
  "/v1/auth/sso",
  // Payment providers sign their notifications; the handlers verify them (routes/webhooks).
  "/v1/webhooks",
];

/** Exact paths and everything below them (`/v1/auth/sign-in/second-factor`, `/v1/auth/sso/...`). */
export function isPublicPath(path: string): boolean {
  return PUBLIC_PATHS.some((p) => path === p || path.startsWith(`${p}/`));
}
