import { mkdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { Server } from "node:http";
import { createServer } from "node:net";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { totpCode } from "../../src/auth/totp.js";
import { launchChromium } from "../helpers/browser.js";
import { type ConsoleServer, seriousAxeViolations, startConsoleServer } from "../helpers/console.js";
import { catalog, mailedToken, verifiedPerson } from "../helpers/console-people.js";
import { OIDC_CLIENT, startOidcProvider, stopOidcProvider } from "../helpers/oidc-provider.js";

/**
 * The console's account pages in real Chromium against a real server (embedded profile): sign-in by
 * email and password (a wrong password shows the catalog's message), the TOTP step, the organization
 * switcher over a person's organizations (kept across a reload), Members (invite, pending list,
 * revoke, role change; what a viewer is not offered) and Embeds (create, snippet, preview, edit,
 * delete), with axe-core on each page. Selectors come from the catalog.
 */
const PASSWORD = "violet-harbor-lantern-42";
/** As in console-browser.test.ts: CONSOLE_SCREENSHOTS=src/console/screenshots makes the README's. */
const SHOTS = process.env.CONSOLE_SCREENSHOTS ?? "test/bench/results/tmp/console-screens";
const t = catalog("en");

/** The server needs its port before it starts: the provider must know the SSO redirect address. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((r) => probe.close(r));
  return port;
}

describe("console accounts, members and embeds in Chromium", () => {
  let srv: ConsoleServer;
  let browser: Browser;
  let ada: Awaited<ReturnType<typeof verifiedPerson>>;
  let betaId = "";
  let issuer = "";
  let oidc: Server;
  const axeFindings: Record<string, unknown[]> = {};
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    const port = await freePort();
    ({ issuer, server: oidc } = await startOidcProvider(`http://localhost:${port}/v1/auth/sso/callback`));
    [srv, browser] = await Promise.all([
      // A cheaper password hash keeps the sign-ins quick on a shared machine; the rule is the same.
      startConsoleServer({ env: { PASSWORD_SCRYPT_LOG_N: "12", SIGNUP: "open", PORT: String(port) } }),
      launchChromium(),
    ]);
    ada = await verifiedPerson(srv, "ada@acme.example", PASSWORD, "Acme");
    await ada.client.call("POST", "/v1/knowledge-bases", { name: "Acme manuals" });
    betaId = (await ada.client.call("POST", "/v1/orgs", { name: "Beta" })).id;
    await ada.client.call("POST", "/v1/auth/session/organization", { organization_id: betaId });
    await ada.client.call("POST", "/v1/knowledge-bases", { name: "Beta notes" });
    await ada.client.call("POST", "/v1/auth/session/organization", { organization_id: ada.orgId });
  }, 600_000);

  afterAll(async () => {
    for (const c of contexts) await c.close();
    await browser?.close();
    await srv?.close();
    if (oidc) await stopOidcProvider(oidc);
  });

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ locale: "en", viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const page = await context.newPage();
    page.on("dialog", (d) => void d.accept());
    return page;
  }

  async function checkAxe(page: Page, name: string) {
    await page.locator("h1").first().waitFor();
    const found = await seriousAxeViolations(page);
    if (found.length) axeFindings[name] = found;
    await page.screenshot({ path: join(SHOTS, `en-account-${name}.png`), fullPage: true });
  }

  async function signIn(page: Page, email: string, password = PASSWORD) {
    await page.goto(srv.base);
    await page.getByLabel(t("auth.email"), { exact: true }).fill(email);
    await page.getByLabel(t("auth.password"), { exact: true }).fill(password);
    await page.getByRole("button", { name: t("auth.continue"), exact: true }).click();
  }

  const nav = (page: Page, key: string) =>
    page
      .getByRole("navigation", { name: t("nav.label") })
      .getByRole("link", { name: t(key) })
      .click();

  let page: Page;

  it("signs in by account: a wrong password shows the catalog's message, the right one gets in", async () => {
    page = await newPage();
    await page.goto(srv.base);
    // SIGNUP=open: the page offers sign-up; no organization has SSO, so no SSO button.
    await page.getByRole("link", { name: t("auth.sign_up_link") }).waitFor();
    expect(await page.getByRole("button", { name: t("auth.sso") }).count()).toBe(0);
    await signIn(page, "ada@acme.example", "not-the-right-password-1");
    await page.getByRole("alert").getByText(t("errors:invalid_credentials")).waitFor();
    await checkAxe(page, "sign-in");
    await signIn(page, "ada@acme.example");
    await page.getByRole("heading", { level: 1, name: t("kb.title") }).waitFor();
    await page.getByRole("link", { name: "Acme manuals" }).waitFor();
  }, 120_000);

  it("switches organization: pages query the other tenant, and a reload keeps it", async () => {
    const switcher = page.getByLabel(t("auth.organization"), { exact: true });
    await switcher.selectOption({
      label: t("auth.org_option", { name: "Beta", role: t("members.role_owner") }),
    });
    await page.getByRole("link", { name: "Beta notes" }).waitFor();
    expect(await page.getByRole("link", { name: "Acme manuals" }).count()).toBe(0);
    await page.reload();
    await page.getByRole("link", { name: "Beta notes" }).waitFor();
    expect(await switcher.inputValue()).toBe(`org:${betaId}`);
    await switcher.selectOption(`org:${ada.orgId}`);
    await page.getByRole("link", { name: "Acme manuals" }).waitFor();
  }, 120_000);

  it("Members: invite (pending, revoke), the invitee joins, and the owner changes their role", async () => {
    await nav(page, "nav.members");
    await page.getByRole("heading", { level: 1, name: t("members.title") }).waitFor();
    await page.getByRole("cell", { name: "ada@acme.example", exact: true }).waitFor();
    for (const email of ["grace@acme.example", "hopper@acme.example"]) {
      await page.getByLabel(t("members.invite_email")).fill(email);
      await page.getByRole("button", { name: t("members.invite") }).click();
      await page.getByRole("cell", { name: email, exact: true }).waitFor();
    }
    await checkAxe(page, "members");
    await page
      .getByRole("button", { name: t("members.revoke_named", { email: "hopper@acme.example" }) })
      .click();
    await page.getByRole("cell", { name: "hopper@acme.example", exact: true }).waitFor({ state: "detached" });
    const pending = await ada.client.call("GET", `/v1/orgs/${ada.orgId}/invitations`);
    expect(pending.data.map((i: { email: string }) => i.email)).toEqual(["grace@acme.example"]);

    // Grace accepts through the console's invitation page (a new account: she chooses a password).
    const grace = await newPage();
    const token = await mailedToken(srv, "grace@acme.example", "accept-invitation");
    await grace.goto(`${srv.base}/auth/accept-invitation?token=${token}`);
    await grace.getByLabel(t("auth.new_password")).fill("quiet-meadow-orchard-77");
    await grace.getByRole("button", { name: t("auth.accept_invitation") }).click();
    await grace.getByRole("heading", { level: 1, name: t("kb.title") }).waitFor();

    await page.reload();
    const role = page.getByLabel(t("members.role_of", { email: "grace@acme.example" }));
    expect(await role.inputValue()).toBe("developer");
    await role.selectOption("viewer");
    await page.getByText(t("members.role_changed", { role: t("members.role_viewer") })).waitFor();
    const members = await ada.client.call("GET", `/v1/orgs/${ada.orgId}/members`);
    expect(members.data.find((m: { email: string }) => m.email === "grace@acme.example").role).toBe("viewer");

    // A viewer is offered neither invitations, role changes nor embeds (the API would refuse them).
    await grace.reload();
    await nav(grace, "nav.members");
    await grace.getByRole("cell", { name: "ada@acme.example", exact: true }).waitFor();
    expect(await grace.getByLabel(t("members.invite_email")).count()).toBe(0);
    expect(
      await grace
        .getByRole("combobox", { name: t("members.role_of", { email: "ada@acme.example" }) })
        .count(),
    ).toBe(0);
    await nav(grace, "nav.embeds");
    await grace.getByText(t("embeds.admin_only")).waitFor();
    expect(await grace.getByRole("button", { name: t("embeds.new") }).count()).toBe(0);
  }, 180_000);

  it("works the same in Simplified Chinese: the wrong-password message and Members from the catalog", async () => {
    const zh = catalog("zh-CN");
    const context = await browser.newContext({ locale: "zh-CN", viewport: { width: 1280, height: 900 } });
    contexts.push(context);
    const p = await context.newPage();
    await p.goto(srv.base);
    await p.getByLabel(zh("auth.email"), { exact: true }).fill("ada@acme.example");
    const password = p.getByLabel(zh("auth.password"), { exact: true });
    await password.fill("not-the-right-password-2");
    await p.getByRole("button", { name: zh("auth.continue"), exact: true }).click();
    await p.getByRole("alert").getByText(zh("errors:invalid_credentials")).waitFor();
    await password.fill(PASSWORD);
    await p.getByRole("button", { name: zh("auth.continue"), exact: true }).click();
    await p.getByRole("heading", { level: 1, name: zh("kb.title") }).waitFor();
    await p
      .getByRole("navigation", { name: zh("nav.label") })
      .getByRole("link", { name: zh("nav.members") })
      .click();
    await p.getByText(zh("members.your_role", { role: zh("members.role_owner") })).waitFor();
    await p.getByLabel(zh("members.role_of", { email: "grace@acme.example" })).waitFor();
    expect(await seriousAxeViolations(p)).toEqual([]);
    await p.screenshot({ path: join(SHOTS, "zh-CN-account-members.png"), fullPage: true });
  }, 120_000);

  it("Embeds: create (secret once, snippet, live preview), edit, delete", async () => {
    await nav(page, "nav.embeds");
    await page.getByRole("heading", { level: 1, name: t("embeds.title") }).waitFor();
    await page.getByRole("button", { name: t("embeds.new") }).click();
    await page.getByLabel(t("embeds.name"), { exact: true }).fill("Help center");
    await page.getByLabel(t("common.knowledge_bases")).selectOption({ label: "Acme manuals" });
    await page.getByLabel(t("embeds.origins")).fill("https://shop.example.com\n*.acme.example");
    await page.getByLabel(t("embeds.greeting")).fill("Hi! Ask me about Acme.");
    await page.getByLabel(t("embeds.cap_day")).fill("500");
    await page.getByRole("button", { name: t("embeds.create_button") }).click();
    await page
      .getByTestId("embed-secret")
      .getByText(/embsec_/)
      .waitFor();
    const snippet = page.getByTestId("embed-snippet");
    await snippet.getByText(/widget\.js" data-embed-id="emb_/).waitFor();
    await checkAxe(page, "embeds");

    const [embed] = (await ada.client.call("GET", "/v1/embeds")).data;
    expect(embed).toMatchObject({
      name: "Help center",
      allowed_origins: ["https://shop.example.com", "*.acme.example"],
      greeting: "Hi! Ask me about Acme.",
      max_messages_per_day: 500,
    });
    expect(await snippet.locator("code").textContent()).toBe(embed.snippet);

    // The preview runs the snippet on the console's origin once it is allowed: the widget loads.
    await snippet.getByRole("button", { name: t("embeds.show_preview") }).click();
    await snippet.getByRole("button", { name: t("embeds.allow_here") }).click();
    await snippet.getByRole("button", { name: t("embeds.allow_here") }).waitFor({ state: "detached" });
    const iframe = await page.locator(`iframe[title="${t("embeds.preview")}"]`).elementHandle();
    const preview = (await iframe!.contentFrame())!;
    await preview.waitForFunction(() => "AIHubChat" in window, undefined, { timeout: 20_000 });

    // Transcripts download as the API's CSV (no conversation yet: the header row).
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      snippet.getByRole("button", { name: t("embeds.transcripts_csv") }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${embed.id}-transcripts.csv`);
    const csv = await readFile((await download.path())!, "utf8");
    expect(csv.split("\n")[0]).toContain("conversation_id");

    await page.getByRole("button", { name: t("embeds.edit_named", { name: "Help center" }) }).click();
    await page.getByLabel(t("embeds.name"), { exact: true }).fill("Support desk");
    await page.getByRole("button", { name: t("common.save") }).click();
    await page.getByRole("cell", { name: "Support desk", exact: true }).waitFor();
    const edited = await ada.client.call("GET", `/v1/embeds/${embed.id}`);
    expect(edited.name).toBe("Support desk");
    expect(edited.allowed_origins).toContain(srv.base);

    await page.getByRole("button", { name: t("embeds.delete_named", { name: "Support desk" }) }).click();
    await page.getByText(t("embeds.empty")).waitFor();
    expect((await ada.client.call("GET", "/v1/embeds")).data).toEqual([]);
  }, 180_000);

  it("signs out, and an account with two-factor gets the code step", async () => {
    await page.getByRole("button", { name: t("auth.sign_out") }).click();
    await page.getByRole("heading", { name: t("auth.title") }).waitFor();

    const tess = await verifiedPerson(srv, "tess@acme.example", PASSWORD, "Tess & Co");
    const setup = await tess.client.call("POST", "/v1/auth/2fa/totp/setup");
    await tess.client.call("POST", "/v1/auth/2fa/totp/enable", { code: totpCode(setup.secret) });
    await signIn(page, "tess@acme.example");
    await page.getByRole("heading", { name: t("auth.mfa_heading") }).waitFor();
    await checkAxe(page, "second-factor");
    // The code of the next step: the one used to enable is spent.
    await page.getByLabel(t("auth.mfa_code")).fill(totpCode(setup.secret, Date.now() + 30_000));
    await page.getByRole("button", { name: t("auth.verify") }).click();
    await page.getByRole("heading", { level: 1, name: t("kb.title") }).waitFor();
    const label = t("auth.org_option", { name: "Tess & Co", role: t("members.role_owner") });
    await page.getByRole("option", { name: label }).waitFor({ state: "attached" });
  }, 120_000);

  it("signs up from the sign-in page, confirms the e-mailed link on its console page, then signs in", async () => {
    const lin = await newPage();
    await lin.goto(srv.base);
    await lin.getByRole("link", { name: t("auth.sign_up_link") }).click();
    await lin.getByRole("heading", { level: 1, name: t("auth.sign_up_title") }).waitFor();
    await lin.getByLabel(t("auth.email"), { exact: true }).fill("lin@new.example");
    await lin.getByLabel(t("auth.new_password")).fill("password");
    await lin.getByLabel(t("auth.organization_name")).fill("Lin Labs");
    await lin.getByRole("button", { name: t("auth.create_account") }).click();
    // The password rule is the API's; its refusal names the field.
    await lin.getByRole("alert").getByText(t("errors:validation_failed")).waitFor();
    await lin.getByLabel(t("auth.new_password")).fill(PASSWORD);
    await lin.getByRole("button", { name: t("auth.create_account") }).click();
    // This server has no SMTP_URL: the page says the link is in the server's output, where mailedToken finds it.
    await lin.getByText(t("auth.sign_up_done_server_log", { email: "lin@new.example" })).waitFor();
    await checkAxe(lin, "sign-up");

    const token = await mailedToken(srv, "lin@new.example", "verify-email");
    await lin.goto(`${srv.base}/auth/verify-email?token=${token}`);
    await lin.getByRole("button", { name: t("auth.verify_email") }).click();
    await lin.getByText(t("auth.verify_done")).waitFor();
    await lin.getByRole("link", { name: t("auth.back_to_sign_in") }).click();
    await signIn(lin, "lin@new.example");
    await lin.getByRole("heading", { level: 1, name: t("kb.title") }).waitFor();
    const label = t("auth.org_option", { name: "Lin Labs", role: t("members.role_owner") });
    await lin.getByRole("option", { name: label }).waitFor({ state: "attached" });
  }, 120_000);

  it("offers SSO once an organization has it, and signs a new person in through the provider", async () => {
    await ada.client.call("PUT", `/v1/orgs/${ada.orgId}/sso`, {
      issuer,
      ...OIDC_CLIENT,
      allowed_domains: ["sso.example"],
      default_role: "developer",
    });
    const sam = await newPage();
    await sam.goto(srv.base);
    await sam.getByLabel(t("auth.email"), { exact: true }).fill("sam@sso.example");
    await sam.getByRole("button", { name: t("auth.sso") }).click();
    // The provider's own (development) login and consent pages.
    await sam.waitForURL((u) => u.href.startsWith(issuer));
    await sam.locator('input[name="login"]').fill("sam@sso.example");
    await sam.locator('input[name="password"]').fill("any");
    await sam.locator('button[type="submit"]').click();
    while (sam.url().startsWith(issuer)) {
      await sam.locator('button[type="submit"]').first().click();
      await sam.waitForLoadState();
    }
    await sam.getByRole("heading", { level: 1, name: t("kb.title") }).waitFor();
    await sam.getByRole("link", { name: "Acme manuals" }).waitFor();
    const label = t("auth.org_option", { name: "Acme", role: t("members.role_developer") });
    await sam.getByRole("option", { name: label }).waitFor({ state: "attached" });
  }, 120_000);

  it("finds no serious or critical accessibility violation", () => {
    expect(axeFindings).toEqual({});
  });
});
