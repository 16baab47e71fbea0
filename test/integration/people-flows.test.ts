import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256 } from "../../src/auth/tokens.js";
import { totpCode } from "../../src/auth/totp.js";
import { authTokens } from "../../src/db/schema.js";
import { createTestApp, type TestApp } from "../helpers/app.js";
import { openTestDatabase, type TestDatabase } from "../helpers/database.js";
import { type Browser, browser, PASSWORD } from "../helpers/people.js";
import { startSmtpServer } from "../helpers/smtp.js";

/**
 * People end to end over HTTP, with e-mail delivered to a real SMTP server started here: sign-up,
 * verification, sign-in, invitation, role change, removal, reset, TOTP, sign-out everywhere, and the
 * bad inputs the issue lists. One story, in order: each step builds on the previous one.
 */
describe("people: end-to-end flows", () => {
  let db: TestDatabase;
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  const link = (path: string) => new RegExp(`${path.replace(/[/?]/g, "\\$&")}\\?token=([A-Za-z0-9_-]+)`);
  let ada: Browser;
  let orgId = "";
  let adaId = "";
  let grace: Browser;
  let graceId = "";

  beforeAll(async () => {
    smtp = await startSmtpServer();
    db = await openTestDatabase("postgres");
    t = await createTestApp(
      db,
      {},
      {
        SMTP_URL: smtp.url,
        PUBLIC_URL: "http://console.test",
        PASSWORD_SCRYPT_LOG_N: "14",
        LOGIN_BACKOFF_BASE_MS: "300",
      },
    );
  });
  afterAll(async () => {
    await smtp.close();
    await db.cleanup();
  });

  it("signs up, receives the verification mail over SMTP, cannot sign in before verifying, then can", async () => {
    ada = browser(t.app);
    const up = await ada.call("POST", "/v1/auth/sign-up", {
      body: { email: "  Ada@Example.COM ", password: PASSWORD, name: "Ada", organization_name: "Acme" },
    });
    expect(up.status).toBe(201);
    expect(up.body.verification_delivery).toBe("email");
    expect(up.body.user).toMatchObject({
      email: "ada@example.com",
      email_verified: false,
      platform_admin: true,
    });
    orgId = up.body.organization.id;
    adaId = up.body.user.id;

    const early = await ada.call("POST", "/v1/auth/sign-in", {
      body: { email: "ada@example.com", password: PASSWORD },
    });
    expect(early.status).toBe(403);
    expect(early.body.code).toBe("email_not_verified");

    const [, token] = await smtp.next("ada@example.com", link("/auth/verify-email"));
    expect((await ada.call("POST", "/v1/auth/email/verify", { body: { token } })).body.email_verified).toBe(
      true,
    );
    const reused = await ada.call("POST", "/v1/auth/email/verify", { body: { token } });
    expect(reused.status).toBe(410);
    expect(reused.body.errors).toEqual([{ field: "token", message: "already used" }]);

    const signIn = await ada.call("POST", "/v1/auth/sign-in", {
      body: { email: "ADA@example.com", password: PASSWORD },
    });
    expect(signIn.status).toBe(200);
    const cookie = signIn.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^aih_session=[\w-]{40,};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/); // PUBLIC_URL is http here
    expect(signIn.body.organization).toEqual({ id: orgId, name: "Acme", role: "owner" });
  });

  it("a cookie session works on existing routes, and unsafe methods need the CSRF token", async () => {
    const noCsrf = await ada.call("POST", "/v1/knowledge-bases", { body: { name: "Manuals" }, csrf: false });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.body).toMatchObject({
      code: "csrf_failed",
      errors: [{ field: "x-csrf-token", message: "is missing" }],
    });
    const wrong = await ada.call("POST", "/v1/knowledge-bases", { body: { name: "Manuals" }, csrf: "nope" });
    expect(wrong.body.errors[0].message).toBe("does not match this session");
    const kb = await ada.call("POST", "/v1/knowledge-bases", { body: { name: "Manuals" } });
    expect(kb.status).toBe(201);
    expect((await ada.call("GET", "/v1/knowledge-bases")).body.data).toHaveLength(1);
    // A cookie never stands in for an API key: the key path ignores cookies entirely.
    const keyAndCookie = await ada.call("GET", "/v1/knowledge-bases", {
      headers: { authorization: "Bearer nope" },
    });
    expect(keyAndCookie.status).toBe(401);
  });

  it("invites a second person by mail; they accept, creating their account, and sign in", async () => {
    const inv = await ada.call("POST", `/v1/orgs/${orgId}/invitations`, {
      body: { email: "Grace@Example.com", role: "viewer" },
    });
    expect(inv.status).toBe(201);
    const [, token] = await smtp.next("grace@example.com", link("/auth/accept-invitation"));
    grace = browser(t.app);
    const weak = await grace.call("POST", "/v1/auth/invitations/accept", {
      body: { token, password: "password123" },
    });
    expect(weak.status).toBe(400);
    expect(weak.body.errors[0].field).toBe("password");
    const acc = await grace.call("POST", "/v1/auth/invitations/accept", {
      body: { token, password: PASSWORD },
    });
    expect(acc.status).toBe(200);
    expect(acc.body).toMatchObject({ organization_id: orgId, role: "viewer", account_created: true });
    graceId = acc.body.session.user.id;
    const again = await browser(t.app).call("POST", "/v1/auth/invitations/accept", {
      body: { token, password: PASSWORD },
    });
    expect(again.status).toBe(410);

    const g2 = browser(t.app);
    const s = await g2.call("POST", "/v1/auth/sign-in", {
      body: { email: "grace@example.com", password: PASSWORD },
    });
    expect(s.status).toBe(200);
    expect(s.body.organization).toMatchObject({ id: orgId, role: "viewer" });
    // A viewer reads but may not create knowledge bases or keys.
    expect((await grace.call("GET", "/v1/knowledge-bases")).status).toBe(200);
    expect((await grace.call("POST", "/v1/knowledge-bases", { body: { name: "x" } })).status).toBe(403);
  });

  it("changes a role; keys follow the member's rights; removal revokes their keys and is audited", async () => {
    const up = await ada.call("PATCH", `/v1/orgs/${orgId}/members/${graceId}`, {
      body: { role: "developer" },
    });
    expect(up.body).toEqual({ user_id: graceId, role: "developer" });
    const tooMuch = await grace.call("POST", "/v1/keys", { body: { name: "g", scopes: ["admin"] } });
    expect(tooMuch.status).toBe(403);
    expect(tooMuch.body.errors[0].field).toBe("scopes");
    const key = await grace.call("POST", "/v1/keys", {
      body: { name: "grace ingest", scopes: ["ingest", "query"] },
    });
    expect(key.status).toBe(201);
    expect((await t.call("GET", "/v1/knowledge-bases", { key: key.body.key })).status).toBe(200);

    // Demoted to viewer: the key loses `ingest` at once, without being edited.
    await ada.call("PATCH", `/v1/orgs/${orgId}/members/${graceId}`, { body: { role: "viewer" } });
    const kbId = (await ada.call("GET", "/v1/knowledge-bases")).body.data[0].id;
    const upload = await t.call("POST", `/v1/knowledge-bases/${kbId}/documents?filename=a.txt`, {
      key: key.body.key,
      body: "hello",
      headers: { "content-type": "text/plain" },
    });
    expect(upload.status).toBe(403);

    const removed = await ada.call("DELETE", `/v1/orgs/${orgId}/members/${graceId}`);
    expect(removed.body).toEqual({ removed: true, keys_revoked: 1 });
    expect((await t.call("GET", "/v1/knowledge-bases", { key: key.body.key })).status).toBe(401);
    const after = await grace.call("GET", "/v1/knowledge-bases");
    expect(after.status).toBe(403);
    const audit = await ada.call("GET", "/v1/audit?limit=50");
    const actions = audit.body.data.map((e: { action: string }) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        "member.remove",
        "key.revoke",
        "member.role_change",
        "invitation.create",
        "invitation.accept",
        "auth.sign_in",
      ]),
    );
    const roleChange = audit.body.data.find((e: { action: string }) => e.action === "member.role_change");
    expect(roleChange.actor_user_id).toBe(adaId);
  });

  it("the last owner can neither leave nor be demoted", async () => {
    const leave = await ada.call("DELETE", `/v1/orgs/${orgId}/members/${adaId}`);
    expect(leave.status).toBe(409);
    const demote = await ada.call("PATCH", `/v1/orgs/${orgId}/members/${adaId}`, { body: { role: "admin" } });
    expect(demote.status).toBe(409);
  });

  it("resets a forgotten password by mail: sessions end, the token works once and expires", async () => {
    const other = browser(t.app);
    await other.call("POST", "/v1/auth/sign-in", { body: { email: "ada@example.com", password: PASSWORD } });
    const forgot = await browser(t.app).call("POST", "/v1/auth/password/forgot", {
      body: { email: "ADA@example.com" },
    });
    expect(forgot.status).toBe(202);
    const unknown = await browser(t.app).call("POST", "/v1/auth/password/forgot", {
      body: { email: "nobody@example.com" },
    });
    expect(unknown.body).toEqual(forgot.body);
    const [, token] = await smtp.next("ada@example.com", link("/auth/reset-password"));
    const newPassword = "quiet-meadow-orchard-77";
    const weak = await browser(t.app).call("POST", "/v1/auth/password/reset", {
      body: { token, password: "aaaaaaaaaaaa" },
    });
    expect(weak.body.errors).toEqual([{ field: "password", message: "must not be one character repeated" }]);
    expect(
      (
        await browser(t.app).call("POST", "/v1/auth/password/reset", {
          body: { token, password: newPassword },
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await browser(t.app).call("POST", "/v1/auth/password/reset", {
          body: { token, password: newPassword },
        })
      ).status,
    ).toBe(410);
    expect((await other.call("GET", "/v1/auth/session")).status).toBe(401);
    expect((await ada.call("GET", "/v1/auth/session")).status).toBe(401);
    const s = await ada.call("POST", "/v1/auth/sign-in", {
      body: { email: "ada@example.com", password: newPassword },
    });
    expect(s.status).toBe(200);

    // An expired link is refused with its own reason.
    await browser(t.app).call("POST", "/v1/auth/password/forgot", { body: { email: "ada@example.com" } });
    const [, late] = await smtp.next("ada@example.com", link("/auth/reset-password"));
    await db.db
      .update(authTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(authTokens.tokenHash, sha256(late!)));
    const expired = await browser(t.app).call("POST", "/v1/auth/password/reset", {
      body: { token: late, password: newPassword },
    });
    expect(expired.status).toBe(410);
    expect(expired.body.errors).toEqual([{ field: "token", message: "expired" }]);
    await ada.call("POST", "/v1/auth/password", {
      body: { current_password: newPassword, new_password: PASSWORD },
    });
  });

  it("enrols TOTP, then signs in with a code (not twice) and with a recovery code (once)", async () => {
    const setup = await ada.call("POST", "/v1/auth/2fa/totp/setup");
    expect(setup.body.otpauth_uri).toMatch(/^otpauth:\/\/totp\//);
    const secret = setup.body.secret as string;
    const bad = await ada.call("POST", "/v1/auth/2fa/totp/enable", {
      body: { code: "000000" === totpCode(secret) ? "111111" : "000000" },
    });
    expect(bad.body.errors[0].field).toBe("code");
    const on = await ada.call("POST", "/v1/auth/2fa/totp/enable", { body: { code: totpCode(secret) } });
    expect(on.body.recovery_codes).toHaveLength(10);

    const b = browser(t.app);
    const first = await b.call("POST", "/v1/auth/sign-in", {
      body: { email: "ada@example.com", password: PASSWORD },
    });
    expect(first.body.second_factor_required).toBe(true);
    expect(first.headers.get("set-cookie")).toBeNull();
    const next = totpCode(secret, Date.now() + 30_000);
    const ok = await b.call("POST", "/v1/auth/sign-in/second-factor", {
      body: { mfa_token: first.body.mfa_token, code: next },
    });
    expect(ok.status).toBe(200);
    expect(b.cookie).not.toBeNull();

    const c = browser(t.app);
    const second = await c.call("POST", "/v1/auth/sign-in", {
      body: { email: "ada@example.com", password: PASSWORD },
    });
    const replay = await c.call("POST", "/v1/auth/sign-in/second-factor", {
      body: { mfa_token: second.body.mfa_token, code: next },
    });
    expect(replay.status).toBe(401);
    const rc = on.body.recovery_codes[0];
    expect(
      (
        await c.call("POST", "/v1/auth/sign-in/second-factor", {
          body: { mfa_token: second.body.mfa_token, recovery_code: rc },
        })
      ).status,
    ).toBe(200);
    const d = browser(t.app);
    const third = await d.call("POST", "/v1/auth/sign-in", {
      body: { email: "ada@example.com", password: PASSWORD },
    });
    expect(
      (
        await d.call("POST", "/v1/auth/sign-in/second-factor", {
          body: { mfa_token: third.body.mfa_token, recovery_code: rc },
        })
      ).status,
    ).toBe(401);
    ada = b;
  });

  it("signs out everywhere: every session ends at once", async () => {
    const sessions = await ada.call("GET", "/v1/auth/sessions");
    expect(sessions.body.data.length).toBeGreaterThanOrEqual(2);
    const others = browser(t.app);
    others.cookie = ada.cookie;
    const all = await ada.call("POST", "/v1/auth/sessions/revoke-all");
    expect(all.body.revoked).toBeGreaterThanOrEqual(2);
    expect((await others.call("GET", "/v1/knowledge-bases")).status).toBe(401);
    const platformAudit = await t.call("GET", "/v1/platform/audit?action=session.revoke");
    expect(platformAudit.status).toBe(200);
  });

  it("rejects bad input with the uniform body naming the field", async () => {
    const b = browser(t.app);
    const short = await b.call("POST", "/v1/auth/sign-up", {
      body: { email: "x@example.com", password: "short" },
    });
    expect(short.body).toMatchObject({
      code: "validation_failed",
      errors: [{ field: "password", message: "must be at least 10 characters long" }],
    });
    const common = await b.call("POST", "/v1/auth/sign-up", {
      body: { email: "x@example.com", password: "Password2024!" },
    });
    expect(common.body.errors[0].message).toMatch(/commonly used or breached/);
    const named = await b.call("POST", "/v1/auth/sign-up", {
      body: { email: "lovelace@example.com", password: "lovelace-rocks-77" },
    });
    expect(named.body.errors[0].message).toMatch(/name part of your email/);
    const dup = await b.call("POST", "/v1/auth/sign-up", {
      body: { email: "ADA@EXAMPLE.com", password: PASSWORD },
    });
    expect(dup.status).toBe(409);
    expect(dup.body.errors).toEqual([{ field: "email", message: "already registered" }]);
    const badEmail = await b.call("POST", "/v1/auth/sign-up", {
      body: { email: "not-an-email", password: PASSWORD },
    });
    expect(badEmail.body.errors[0].field).toBe("email");
  });

  it("throttles 20 wrong passwords in a row without revealing whether the email exists; the owner signs in after the back-off", async () => {
    const attacker = browser(t.app);
    const statuses: number[] = [];
    let retryAfter = 0;
    for (let i = 0; i < 20; i++) {
      const r = await attacker.call("POST", "/v1/auth/sign-in", {
        body: { email: "grace@example.com", password: `wrong-${i}-xxxxxx` },
      });
      statuses.push(r.status);
      if (r.status === 429) retryAfter = Number(r.headers.get("retry-after"));
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(10);
    const locked = await browser(t.app).call("POST", "/v1/auth/sign-in", {
      body: { email: "grace@example.com", password: PASSWORD },
    });
    expect(locked.status).toBe(429);
    expect(locked.body.code).toBe("too_many_attempts");
    // An unknown email gets exactly the same answers.
    const ghost: number[] = [];
    for (let i = 0; i < 7; i++) {
      ghost.push(
        (
          await attacker.call("POST", "/v1/auth/sign-in", {
            body: { email: "ghost@example.com", password: `wrong-${i}-xxxxxx` },
          })
        ).status,
      );
    }
    expect(ghost.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(ghost.slice(5)).toContain(429);
    // The back-off is time itself: wait it out (Retry-After), then the owner gets in.
    await new Promise((r) => setTimeout(r, (retryAfter + 0.2) * 1000));
    const owner = await browser(t.app).call("POST", "/v1/auth/sign-in", {
      body: { email: "grace@example.com", password: PASSWORD },
    });
    expect(owner.status).toBe(200);
    const failures = await t.call("GET", "/v1/platform/audit?action=auth.sign_in_failed&limit=200");
    expect(failures.body.data.length).toBeGreaterThanOrEqual(10);
  });
});
