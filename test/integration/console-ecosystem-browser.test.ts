import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../helpers/browser.js";
import { type ConsoleServer, seriousAxeViolations, startConsoleServer } from "../helpers/console.js";
import { catalog, verifiedPerson } from "../helpers/console-people.js";
import { packPlugin } from "../helpers/plugins.js";
import { type HostSite, snippetPage, startHostSite } from "../helpers/widget-harness.js";

/**
 * The console's Plugins and Templates pages (issue 19) in real Chromium against a real server: a
 * platform administrator installs a plugin tarball, upgrades and rolls it back, enables and configures
 * plugins (a secret stays a password field and is never shown back); applies a template and reads its
 * golden result; gets recommendations from the uploaded documents; the applied embed's widget answers
 * a starter question on the website named when applying; then the same pages in Simplified Chinese.
 */
const PASSWORD = "violet-harbor-lantern-42";
const EMAIL = "root@ecosystem.example";
const SHOTS = process.env.CONSOLE_SCREENSHOTS ?? "test/bench/results/tmp/console-screens";
const t = catalog("en");
const zh = catalog("zh-CN");

describe("console Plugins and Templates pages in Chromium", () => {
  let srv: ConsoleServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let admin: Awaited<ReturnType<typeof verifiedPerson>>;
  let site: HostSite;
  const axe: Record<string, unknown> = {};

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    [srv, browser, site] = await Promise.all([
      startConsoleServer({
        env: {
          SIGNUP: "open",
          // Golden answers and the widget's answer come from the offline extractive model, not the stub.
          DEFAULT_MODEL: "extractive",
          PASSWORD_SCRYPT_LOG_N: "12",
          BLOB_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString("base64")}`,
        },
      }),
      launchChromium(),
      startHostSite(),
    ]);
    // The first account is the platform administrator (ADMIN_EMAIL unset).
    admin = await verifiedPerson(srv, EMAIL, PASSWORD, "Ecosystem Inc");
    await admin.client.call("POST", "/v1/platform/plugins", {
      folder: resolve("src/plugins/core/webhook-postprocessor"),
    });
    context = await browser.newContext({ locale: "en", viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
  }, 600_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await srv?.close();
    await site?.close();
  });

  async function signIn(p: Page, tr: typeof t) {
    await p.getByLabel(tr("auth.email"), { exact: true }).fill(EMAIL);
    await p.getByLabel(tr("auth.password"), { exact: true }).fill(PASSWORD);
    await p.getByRole("button", { name: tr("auth.continue"), exact: true }).click();
  }
  const nav = (p: Page, tr: typeof t, key: string) =>
    p
      .getByRole("navigation", { name: tr("nav.label") })
      .getByRole("link", { name: tr(key) })
      .click();
  async function checkAxe(p: Page, name: string) {
    const found = await seriousAxeViolations(p);
    if (found.length) axe[name] = found;
    await p.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  }

  it("Plugins: installs a tarball, upgrades and rolls back, enables and configures with a secret", async () => {
    await page.goto(srv.base);
    await signIn(page, t);
    await nav(page, t, "nav.plugins");
    await page.getByRole("heading", { level: 1, name: t("plugins.title") }).waitFor();
    await page.getByRole("heading", { name: t("plugins.platform_title") }).waitFor();

    for (const version of ["1.0.0", "1.1.0"]) {
      const tgz = packPlugin("fixtures/plugins/example-footer", { version });
      await page.getByLabel(t("plugins.tarball")).setInputFiles(tgz.path);
      await page.getByRole("button", { name: t("plugins.install"), exact: true }).click();
      await page.getByText(t("plugins.installed", { id: "example-footer", version })).waitFor();
    }
    await page.getByRole("button", { name: t("plugins.upgrade_named", { name: "Answer footer" }) }).click();
    await page.getByText(t("plugins.switched", { id: "example-footer", version: "1.1.0" })).waitFor();
    await page.getByRole("button", { name: t("plugins.rollback_named", { name: "Answer footer" }) }).click();
    await page.getByText(t("plugins.switched", { id: "example-footer", version: "1.0.0" })).waitFor();

    const footer = page.getByRole("form", { name: t("plugins.configure_named", { name: "Answer footer" }) });
    await footer.getByLabel(t("plugins.enabled")).check();
    await footer.getByLabel("footer").fill("Checked by a person.");
    await footer.getByRole("button", { name: t("common.save") }).click();
    await footer.getByText(t("common.saved")).waitFor();

    const hook = page.getByRole("form", { name: t("plugins.configure_named", { name: "Answer webhook" }) });
    const secret = hook.getByLabel("signingSecret");
    expect(await secret.getAttribute("type")).toBe("password");
    await hook.getByText(t("plugins.secret_unset")).waitFor();
    await hook.getByLabel(t("plugins.enabled")).check();
    await hook.getByLabel("url").fill("https://hooks.example.com/answers");
    await secret.fill("a-signing-secret-of-some-length");
    await hook.getByRole("button", { name: t("common.save") }).click();
    await hook.getByText(t("plugins.secret_set")).waitFor();
    expect(await secret.inputValue()).toBe("");
    await checkAxe(page, "en-plugins");

    const { data } = await admin.client.call("GET", "/v1/plugins");
    const byId = Object.fromEntries(data.map((p: { id: string }) => [p.id, p]));
    expect(byId["example-footer"]).toMatchObject({
      enabled: true,
      config: { footer: "Checked by a person." },
    });
    expect(byId["webhook-postprocessor"]).toMatchObject({ enabled: true, secrets_set: ["signingSecret"] });
    expect(JSON.stringify(byId["webhook-postprocessor"])).not.toContain("a-signing-secret");
    // A reload shows the stored secret only as "stored", never its value.
    await page.reload();
    await page.getByText(t("plugins.secret_set")).waitFor();
    expect(await page.getByLabel("signingSecret").inputValue()).toBe("");
  }, 240_000);

  it("Templates: preview, apply with the golden result, recommendations, the widget answers", async () => {
    await nav(page, t, "nav.templates");
    await page.getByRole("heading", { level: 1, name: t("gallery.title") }).waitFor();
    await page.getByRole("heading", { level: 2, name: t("gallery.category.it"), exact: true }).waitFor();
    expect(await page.locator("article[data-template]").count()).toBe(20);
    const card = page.locator('article[data-template="it-helpdesk"]');
    await card.getByRole("button", { name: t("gallery.preview"), exact: true }).click();
    await card.getByTestId("template-preview").getByText("How do I connect to the VPN?").waitFor();
    await card.getByLabel(t("gallery.origin_label")).fill(site.origin);
    await card.getByRole("button", { name: t("gallery.apply_named", { name: "IT helpdesk" }) }).click();
    const golden = card.getByTestId("golden-result");
    await golden.waitFor({ timeout: 120_000 });
    await golden.getByText(t("gallery.golden_met")).waitFor();
    expect(
      await golden.getByText(t("gallery.golden_recall", { recall: "100%", stated: "100%" })).count(),
    ).toBe(1);
    expect(await golden.locator("tbody tr").count()).toBe(4);
    await checkAxe(page, "en-templates");

    // Recommendations from what the organization uploaded: the helpdesk's own documents.
    const rec = page.getByRole("region", { name: t("gallery.recommend_title") });
    await rec.getByLabel(t("common.knowledge_bases")).selectOption({ label: "IT helpdesk" });
    await rec.getByRole("button", { name: t("gallery.recommend_button") }).click();
    const first = rec.getByTestId("recommendations").locator("li").first();
    await first.waitFor();
    expect(await first.locator("strong").textContent()).toBe("IT helpdesk");

    // The applied embed's widget, on the website named when applying, answers its first starter question.
    const [embed] = (await admin.client.call("GET", "/v1/embeds")).data;
    expect(embed).toMatchObject({ name: "IT helpdesk", allowed_origins: [site.origin] });
    site.pages.set("/", { html: snippetPage(srv.base, embed.id) });
    const shop = await context.newPage();
    await shop.goto(`${site.origin}/`);
    await shop.locator("ai-hub-chat .launch").click();
    await shop.locator("ai-hub-chat .starters button").first().click();
    await shop.locator("ai-hub-chat .chips button").first().waitFor({ timeout: 30_000 });
    expect(await shop.locator("ai-hub-chat .m.a").last().textContent()).toContain("GlobalGate");
    await shop.close();
  }, 240_000);

  it("the same pages in Simplified Chinese: a Chinese template applies and meets its recall", async () => {
    const zhContext = await browser.newContext({ locale: "zh-CN", viewport: { width: 1280, height: 900 } });
    const p = await zhContext.newPage();
    try {
      await p.goto(`${srv.base}/?lang=zh-CN`);
      await signIn(p, zh);
      await nav(p, zh, "nav.plugins");
      await p.getByRole("heading", { level: 1, name: zh("plugins.title") }).waitFor();
      await p.getByRole("heading", { name: zh("plugins.platform_title") }).waitFor();
      await p.getByText(zh("plugins.secret_set")).waitFor();
      await checkAxe(p, "zh-CN-plugins");
      await nav(p, zh, "nav.templates");
      await p.getByRole("heading", { level: 1, name: zh("gallery.title") }).waitFor();
      const card = p.locator('article[data-template="policy-regulations-zh"]');
      await card.getByRole("heading", { name: "政策法规问答" }).waitFor();
      await card.getByRole("button", { name: zh("gallery.apply_named", { name: "政策法规问答" }) }).click();
      const golden = card.getByTestId("golden-result");
      await golden.getByText(zh("gallery.golden_met")).waitFor({ timeout: 120_000 });
      await checkAxe(p, "zh-CN-templates");
    } finally {
      await zhContext.close();
    }
    expect(axe).toEqual({});
  }, 240_000);
});
