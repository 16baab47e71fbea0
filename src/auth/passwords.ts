import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { COMMON_PASSWORDS } from "./common-passwords.js";

/**
 * Passwords are hashed with scrypt (memory-hard): N = 2^logN (default 2^16), r = 8, p = 1, 16-byte salt,
 * 32-byte output, i.e. 128 * N * r bytes = 64 MiB of memory per hash. The parameters are stored with
 * the hash, so raising PASSWORD_SCRYPT_LOG_N later still verifies old hashes.
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

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [alg, logN, r, p, salt, hash] = stored.split("$");
  if (alg !== "scrypt" || !salt || !hash) return false;
  const expected = Buffer.from(hash, "base64");
  const key = await derive(password, Buffer.from(salt, "base64"), Number(logN), Number(r), Number(p));
  return key.length === expected.length && timingSafeEqual(key, expected);
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
