import { createHash, timingSafeEqual } from "node:crypto";
import { randomToken } from "../ids.js";

/**
 * API keys look like `aih_<8 char prefix>_<32 char secret>`. Only the sha256 of the whole key is stored;
 * keys carry 160+ bits of randomness, so a fast hash is enough (no salt/KDF needed, as with unkey).
 * The prefix is kept in clear so listings can show which key is which.
 */
export const KEY_PATTERN = /^aih_[0-9a-z]{8}_[0-9a-z]{32}$/;

export function generateKey(): { key: string; prefix: string; hash: string } {
  const prefix = `aih_${randomToken(8)}`;
  const key = `${prefix}_${randomToken(32)}`;
  return { key, prefix, hash: hashKey(key) };
}

export function hashKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

/** Prefix shown for a key that did not come from generateKey (ADMIN_API_KEY set by an operator). */
export function visiblePrefix(key: string): string {
  return key.slice(0, 12);
}

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
