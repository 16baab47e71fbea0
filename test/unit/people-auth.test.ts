import { Secret, TOTP } from "otpauth";
import { describe, expect, it } from "vitest";
import { hashPassword, needsRehash, passwordProblem, verifyPassword } from "../../src/auth/passwords.js";
import { isPublicPath } from "../../src/auth/public-paths.js";
import { actionsOfRole, actionsOfScopes, capActions, ROLE_ACTIONS, scopesOf } from "../../src/auth/roles.js";
import { totpCode, totpStep } from "../../src/auth/totp.js";
import { renderMail } from "../../src/mail/templates.js";

describe("TOTP (RFC 6238)", () => {
  // RFC 6238 appendix B, SHA-1, 8 digits, secret "12345678901234567890".
  const vectors: [number, string][] = [
    [59, "94287082"],
    [1111111109, "07081804"],
    [1111111111, "14050471"],
    [1234567890, "89005924"],
    [2000000000, "69279037"],
    [20000000000, "65353130"],
  ];
  it("the library generates the RFC's test vectors", () => {
    const totp = new TOTP({
      algorithm: "SHA1",
      digits: 8,
      period: 30,
      secret: Secret.fromLatin1("12345678901234567890"),
    });
    for (const [seconds, code] of vectors) expect(totp.generate({ timestamp: seconds * 1000 })).toBe(code);
  });
  it("accepts a code of the current or a neighbouring step only, and names its step", () => {
    const secret = new Secret({ size: 20 }).base32;
    const now = 1_700_000_000_000;
    const step = Math.floor(now / 30_000);
    expect(totpStep(secret, totpCode(secret, now), now)).toBe(step);
    expect(totpStep(secret, totpCode(secret, now + 30_000), now)).toBe(step + 1);
    expect(totpStep(secret, totpCode(secret, now - 90_000), now)).toBeNull();
    expect(totpStep(secret, "12345", now)).toBeNull();
  });
});

describe("passwords", () => {
  it("hashes with scrypt and verifies only the right password", async () => {
    const hash = await hashPassword("violet-harbor-lantern-42", 12);
    expect(hash).toMatch(/^scrypt\$12\$8\$1\$/);
    expect(await verifyPassword("violet-harbor-lantern-42", hash)).toBe(true);
    expect(await verifyPassword("violet-harbor-lantern-43", hash)).toBe(false);
  });
  it("asks for a re-hash when the stored parameters differ from today's", async () => {
    const hash = await hashPassword("violet-harbor-lantern-42", 12);
    expect(needsRehash(hash, 12)).toBe(false);
    expect(needsRehash(hash, 15)).toBe(true);
    expect(needsRehash(hash.replace("scrypt$12$8$1$", "scrypt$12$4$1$"), 12)).toBe(true);
    expect(needsRehash("bcrypt$whatever", 12)).toBe(true);
  });
  it("names the broken rule", () => {
    expect(passwordProblem("short")).toBe("must be at least 10 characters long");
    expect(passwordProblem("Password2024!")).toMatch(/commonly used or breached/);
    expect(passwordProblem("qwertyuiop")).toMatch(/commonly used/);
    expect(passwordProblem("zzzzzzzzzzzz")).toBe("must not be one character repeated");
    expect(passwordProblem("abcdefghijklm")).toBe("must not be a run of keyboard or alphabet characters");
    expect(passwordProblem("ada.lovelace-1815", "ada.lovelace@example.com")).toBe(
      "must not contain the name part of your email",
    );
    expect(passwordProblem("violet-harbor-lantern-42", "ada@example.com")).toBeNull();
  });
});

describe("the role table", () => {
  it("owners hold every right; billing holds none of the data scopes", () => {
    expect(scopesOf(actionsOfRole("owner"))).toEqual(["admin", "ingest", "query"]);
    expect(scopesOf(actionsOfRole("developer"))).toEqual(["ingest", "query"]);
    expect(scopesOf(actionsOfRole("viewer"))).toEqual(["query"]);
    expect(scopesOf(actionsOfRole("billing"))).toEqual([]);
    expect(ROLE_ACTIONS.admin).not.toContain("owners.manage");
  });
  it("a key is capped by its creator's role", () => {
    const capped = capActions(actionsOfScopes(["admin"]), actionsOfRole("developer"));
    expect(scopesOf(capped)).toEqual(["ingest", "query"]);
    expect(capped.has("members.manage")).toBe(false);
  });
  it("only account entry points skip authentication", () => {
    expect(isPublicPath("/v1/auth/sign-in")).toBe(true);
    expect(isPublicPath("/v1/auth/sign-in/second-factor")).toBe(true);
    expect(isPublicPath("/v1/auth/sso/ten_1/start")).toBe(true);
    expect(isPublicPath("/v1/auth/session")).toBe(false);
    expect(isPublicPath("/v1/auth/sign-inx")).toBe(false);
    expect(isPublicPath("/v1/knowledge-bases")).toBe(false);
  });
});

describe("e-mail templates", () => {
  it("render in the recipient's language from the catalog, with the link and role names", () => {
    const zh = renderMail("invitation", "zh-CN", "li@example.com", {
      inviter: "Ada",
      org: "Acme",
      role: "developer",
      link: "https://hub.example/auth/accept-invitation?token=abc",
      days: 7,
    });
    expect(zh.subject).toBe("Ada 邀请您加入 AI Hub 上的 Acme");
    expect(zh.text).toContain("开发者");
    expect(zh.text).toContain("https://hub.example/auth/accept-invitation?token=abc");
    expect(zh.html).toContain('<a href="https://hub.example/auth/accept-invitation?token=abc">');
    const ar = renderMail("verify_email", "ar", "x@example.com", {
      email: "x@example.com",
      link: "https://h/x?token=1",
      hours: 48,
    });
    expect(ar.html).toContain('dir="rtl"');
    const en = renderMail("reset_password", "xx", "x@example.com", {
      email: "x@example.com",
      link: "https://h/r?token=1",
      minutes: 30,
    });
    expect(en.subject).toBe("Reset your AI Hub password");
    expect(en.text).not.toMatch(/\{\{/);
  });
});
