import { Secret, TOTP } from "otpauth";

/**
 * TOTP (RFC 6238) through the `otpauth` package: SHA-1, 6 digits, 30-second steps, accepting one step
 * of clock drift either way. The caller stores the last accepted step so a code is never accepted twice.
 */
export const TOTP_PERIOD = 30;

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totpFor(secret: string, label: string) {
  return new TOTP({
    issuer: "AI Hub",
    label,
    algorithm: "SHA1",
    digits: 6,
    period: TOTP_PERIOD,
    secret: Secret.fromBase32(secret),
  });
}

export function totpUri(secret: string, label: string): string {
  return totpFor(secret, label).toString();
}

/** The time step a valid code belongs to, or null. */
export function totpStep(secret: string, code: string, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const delta = totpFor(secret, "x").validate({ token: code, timestamp: now, window: 1 });
  if (delta === null) return null;
  return Math.floor(now / 1000 / TOTP_PERIOD) + delta;
}

/** For tests and enrolment checks: the code of a given moment. */
export function totpCode(secret: string, now = Date.now()): string {
  return totpFor(secret, "x").generate({ timestamp: now });
}
