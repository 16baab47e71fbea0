import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "../../src/auth/passwords.js";
import { users } from "../../src/db/schema.js";
import { createTestApp, type TestApp } from "../helpers/app.js";
import { openTestDatabase, type TestDatabase } from "../helpers/database.js";
import { memoryMailer, PASSWORD, signedUpPerson } from "../helpers/people.js";

/**
 * The default scrypt cost went from N = 2^16 to 2^15. Accounts hashed under the old default must keep
 * signing in, and their hash moves to today's parameters at their next successful sign-in.
 */
describe("password hashes with older scrypt parameters", () => {
  let db: TestDatabase;
  let t: TestApp;
  const mailer = memoryMailer();
  const email = "legacy-hash@example.com";

  const storedHash = async () =>
    (await db.db.select({ h: users.passwordHash }).from(users).where(eq(users.email, email)))[0]!.h!;
  const signIn = (password: string) =>
    t.call("POST", "/v1/auth/sign-in", { key: null, body: { email, password } });

  beforeAll(async () => {
    db = await openTestDatabase("postgres");
    // No PASSWORD_SCRYPT_LOG_N: the shipped default is what is under test.
    t = await createTestApp(db, { mailer }, { RATE_LIMIT_PER_MINUTE: "0" });
    await signedUpPerson(t, mailer, email, { organization_name: "Legacy" });
  }, 60_000);
  afterAll(async () => db?.cleanup());

  it("new accounts get N = 2^15, r = 8, p = 1", async () => {
    expect(t.deps.config.PASSWORD_SCRYPT_LOG_N).toBe(15);
    expect(await storedHash()).toMatch(/^scrypt\$15\$8\$1\$/);
  });

  it("a 2^16 hash still verifies, a wrong password leaves it alone, and a right one re-hashes it at 2^15", async () => {
    const old = await hashPassword(PASSWORD, 16);
    await db.db.update(users).set({ passwordHash: old }).where(eq(users.email, email));

    expect((await signIn(`${PASSWORD}-wrong`)).status).toBe(401);
    expect(await storedHash()).toBe(old);

    const first = await signIn(PASSWORD);
    expect(first.status).toBe(200);
    const upgraded = await storedHash();
    expect(upgraded).toMatch(/^scrypt\$15\$8\$1\$/);
    expect(await verifyPassword(PASSWORD, upgraded)).toBe(true);

    // Already current: the next sign-in keeps the hash as it is.
    expect((await signIn(PASSWORD)).status).toBe(200);
    expect(await storedHash()).toBe(upgraded);
  }, 60_000);
});
