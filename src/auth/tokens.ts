import { createHash, randomBytes } from "node:crypto";

/**
 * One-time secrets (session ids, e-mail links, recovery codes): 32 random bytes, base64url, of which
 * only the sha256 is ever stored. A database leak therefore yields no usable token.
 */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

export function sha256(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

/** Normalized email: trimmed, NFKC, lowercased. Uniqueness and lookups use this form only. */
export function normalizeEmail(email: string): string {
  return email.normalize("NFKC").trim().toLowerCase();
}
