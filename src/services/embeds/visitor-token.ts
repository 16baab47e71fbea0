/**
 * Signed visitors: the customer's backend proves who a visitor is by signing
 * `{ embed_id, visitor_id, exp }` with the embed's secret (HMAC-SHA256). The token is
 * `<base64url(JSON payload)>.<base64url(signature over the first part)>`; `exp` is Unix seconds and may
 * lie at most an hour ahead, so a leaked token stops working soon.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const MAX_TOKEN_LIFETIME_S = 3600;
/** Clocks of the customer's backend and ours may disagree a little. */
const CLOCK_SKEW_S = 60;

export interface VisitorClaims {
  embed_id: string;
  visitor_id: string;
  exp: number;
}

const b64url = (b: Buffer) => b.toString("base64url");

export function signVisitorToken(claims: VisitorClaims, secret: string): string {
  const body = b64url(Buffer.from(JSON.stringify(claims)));
  return `${body}.${b64url(createHmac("sha256", secret).update(body).digest())}`;
}

export type TokenCheck =
  | { ok: true; visitorId: string }
  | { ok: false; reason: "missing" | "malformed" | "bad_signature" | "wrong_embed" | "expired" | "too_long" };

export function verifyVisitorToken(
  token: string | undefined | null,
  embedId: string,
  secret: string,
  nowMs = Date.now(),
): TokenCheck {
  if (!token) return { ok: false, reason: "missing" };
  const [body, sig, extra] = token.split(".");
  if (!body || !sig || extra !== undefined) return { ok: false, reason: "malformed" };
  const expected = createHmac("sha256", secret).update(body).digest();
  const given = Buffer.from(sig, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: "bad_signature" };
  }
  let claims: Partial<VisitorClaims>;
  try {
    claims = JSON.parse(Buffer.from(body, "base64url").toString("utf8"));
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (typeof claims.visitor_id !== "string" || !claims.visitor_id || typeof claims.exp !== "number") {
    return { ok: false, reason: "malformed" };
  }
  if (claims.embed_id !== embedId) return { ok: false, reason: "wrong_embed" };
  const now = Math.floor(nowMs / 1000);
  if (claims.exp <= now) return { ok: false, reason: "expired" };
  if (claims.exp > now + MAX_TOKEN_LIFETIME_S + CLOCK_SKEW_S) return { ok: false, reason: "too_long" };
  return { ok: true, visitorId: claims.visitor_id.slice(0, 200) };
}
