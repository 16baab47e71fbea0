import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { COMMON_PASSWORDS } from "./common-passwords.js";

/**
 * Passwords are hashed with scrypt (memory-hard): N = 2^logN (default 2^15), r = 8, p = 1, 16-byte salt,
 * 32-byte output, i.e. 128 * N * r bytes = 32 MiB of memory per hash. 2^16 measured 370 ms p50 per
 * sign-in on 2 cores, above the 100-300 ms target; halving N keeps r (the memory-hardness per block)
 * and halves both time and memory. The parameters are stored with the hash, so hashes made under
 * other settings still verify, and sign-in re-hashes them with the current ones (needsRehash).
 */
const R = 8;
const P = 1;
const KEY_LEN = 32;

function derive(password: string, salt: Buffer, logN: number, r: number, p: number): Promise<Buffer> {
  const N = 2 ** logN;
  return new Promise((resolve, reject) =>
    scrypt(
      password.normalize("NFKC"),
      salt,
      KEY_LEN,
      { N, r, p, maxmem: 256 * N * r + 1024 * 1024 },
      (err, key) => (err ? reject(err) : resolve(key)),
    ),
  );
}

export async function hashPassword(password: string, logN: number): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, logN, R, P);
  return `scrypt$${logN}$${R}$${P}$${salt.toString("base64")}$${key.toString("base64")}`;
}

interface StoredHash {
  logN: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

function parseStored(stored: string): StoredHash | null {
  const [alg, logN, r, p, salt, hash] = stored.split("$");
  if (alg !== "scrypt" || !salt || !hash) return null;
  const params = [Number(logN), Number(r), Number(p)];
  if (!params.every((n) => Number.isInteger(n) && n > 0)) return null;
  return {
    logN: params[0]!,
    r: params[1]!,
    p: params[2]!,
    salt: Buffer.from(salt, "base64"),
    hash: Buffer.from(hash, "base64"),
  };
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseStored(stored);
  if (!parsed) return false;
  const key = await derive(password, parsed.salt, parsed.logN, parsed.r, parsed.p);
  return key.length === parsed.hash.length && timingSafeEqual(key, parsed.hash);
}

/** Whether a stored hash was made with other parameters than today's (then sign-in replaces it). */
export function needsRehash(stored: string, logN: number): boolean {
  const parsed = parseStored(stored);
  return (
    !parsed || parsed.logN !== logN || parsed.r !== R || parsed.p !== P || parsed.hash.length !== KEY_LEN
  );
}

/** Spends the same time as a real check, so an unknown email answers as slowly as a wrong password. */
let dummy: Promise<string> | undefined;
export async function burnPasswordCheck(password: string, logN: number): Promise<void> {
  dummy ??= hashPassword("not-a-real-password", logN);
  await verifyPassword(password, await dummy);
}

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;

/**
 * The password rule, said in the README and in every rejection: 10-128 characters; not on the shipped
 * list of common/breached passwords (also after removing trailing digits and symbols, and ignoring
 * case); not one repeated character or a keyboard/alphabet run; not containing the email's name part.
 * Returns the broken rule, or null when the password is acceptable.
 */
export function passwordProblem(password: string, email?: string): string | null {
  if (password.length < PASSWORD_MIN) return `must be at least ${PASSWORD_MIN} characters long`;
  if (password.length > PASSWORD_MAX) return `must be at most ${PASSWORD_MAX} characters long`;
  const lower = password.toLowerCase();
  const stem = lower.replace(/[\d\W_]+$/u, "");
  if (COMMON_PASSWORDS.has(lower) || (stem.length >= 4 && COMMON_PASSWORDS.has(stem))) {
    return "is a commonly used or breached password; choose something less predictable";
  }
  if (/^(.)\1+$/u.test(password)) return "must not be one character repeated";
  if (isRun(lower)) return "must not be a run of keyboard or alphabet characters";
  const name = email?.split("@")[0]?.toLowerCase();
  if (name && name.length >= 4 && lower.includes(name)) return "must not contain the name part of your email";
  return null;
}

const RUNS = ["abcdefghijklmnopqrstuvwxyz", "0123456789012345678901", "qwertyuiopasdfghjklzxcvbnm"];
function isRun(s: string): boolean {
  return RUNS.some((run) => run.includes(s) || [...run].reverse().join("").includes(s));
}
