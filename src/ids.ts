import { randomBytes } from "node:crypto";

/**
 * Typed, time-ordered ids: `<prefix>_<10 chars of ms timestamp><16 random chars>` in Crockford base32.
 * Sorting ids sorts by creation time, so an id is also a stable paging cursor.
 */
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

export type IdPrefix =
  | "ten"
  | "key"
  | "kb"
  | "doc"
  | "ver"
  | "use"
  | "res"
  | "aud"
  | "evq"
  | "evr"
  | "req"
  | "usr"
  | "ses"
  | "inv"
  | "file"
  | "vsfb"
  | "cnv"
  | "msg"
  | "emb"
  // bulk imports (issue 18)
  | "imp"
  // billing (issue 16): wallet entries, code batches and codes, payments, statements
  | "wal"
  | "rcb"
  | "rc"
  | "pay"
  | "stm"
  // connector bindings (issue 19)
  | "cnr";

function encodeTime(ms: number): string {
  let out = "";
  let n = ms;
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[n % 32] + out;
    n = Math.floor(n / 32);
  }
  return out;
}

function encodeRandom(len: number): string {
  const bytes = randomBytes(len);
  let out = "";
  for (const b of bytes) out += ALPHABET[b % 32];
  return out;
}

export function newId(prefix: IdPrefix): string {
  return `${prefix}_${encodeTime(Date.now())}${encodeRandom(16)}`;
}

export function randomToken(len: number): string {
  return encodeRandom(len);
}
