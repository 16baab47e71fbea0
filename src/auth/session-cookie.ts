import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Config } from "../config.js";

/**
 * The browser session contract (README "Browser sessions"): an opaque token in the `aih_session`
 * cookie (HttpOnly, SameSite=Lax, Path=/, Secure when PUBLIC_URL is https). Unsafe methods
 * authenticated by this cookie must send the session's CSRF token in `X-CSRF-Token`.
 */
export const SESSION_COOKIE = "aih_session";
export const CSRF_HEADER = "x-csrf-token";

export function isSecure(config: Config): boolean {
  return config.PUBLIC_URL?.startsWith("https:") ?? false;
}

export function readSessionCookie(c: Context): string | undefined {
  return getCookie(c, SESSION_COOKIE);
}

export function writeSessionCookie(c: Context, config: Config, token: string, expiresAt: Date): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "Lax",
    secure: isSecure(config),
    path: "/",
    expires: expiresAt,
  });
}

export function clearSessionCookie(c: Context, config: Config): void {
  deleteCookie(c, SESSION_COOKIE, { path: "/", secure: isSecure(config), httpOnly: true, sameSite: "Lax" });
}

/** The client address used for sign-in throttling and shown in session listings. */
export function clientAddress(c: Context, config: Config): string {
  if (config.TRUST_PROXY) {
    const forwarded = c.req.header("x-forwarded-for")?.split(",")[0]?.trim();
    if (forwarded) return forwarded;
  }
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? "local";
}
