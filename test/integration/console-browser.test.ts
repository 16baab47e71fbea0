import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../helpers/browser.js";
import { type ConsoleServer, seriousAxeViolations, startConsoleServer } from "../helpers/console.js";
import { catalog } from "../helpers/console-people.js";

/**
 * Every console page's main flow in real Chromium against a real server (embedded profile, the
 * offline extractive model plus a stub OpenAI-compatible model), in English and Simplified Chinese,
 * with axe-core on every page and an Arabic (right-to-left) pass. Selectors come from the catalog,
 * so the same walk runs in any language. Screenshots go to CONSOLE_SCREENSHOTS (the README's are
 * made with CONSOLE_SCREENSHOTS=src/console/screenshots), else to a scratch folder.
 */
const SHOTS = process.env.CONSOLE_SCREENSHOTS ?? "test/bench/results/tmp/console-screens";
const FIXTURES = join(process.cwd(), "fixtures");

type T = ReturnType<typeof catalog>;

describe("web console in Chromium", () => {
  let srv: ConsoleServer;
  let browser: Browser;
  const axeFindings: Record<string, unknown[]> = {};

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    [srv, browser] = await Promise.all([startConsoleServer(), launchChromium()]);
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await srv?.close();
  });

  async function checkPage(page: Page, locale: string, name: string) {
    await page.locator("h1").first().waitFor();
    const found = await seriousAxeViolations(page);
    if (found.length) axeFindings[`${locale}/${name}`] = found;
    await page.screenshot({ path: join(SHOTS, `${locale}-${name}.png`), fullPage: true });
  }

  async function nav(page: Page, t: T, key: string) {
    await page
      .getByRole("navigation", { name: t("nav.label") })
      .getByRole("link", { name: t(key) })
      .click();
    await page
      .getByRole("heading", { level: 1, name: t(key === "nav.keys" ? "keys.title" : key) })
      .waitFor()
      .catch(() => undefined);
  }

  async function signIn(page: Page, t: T, key: string, org: string) {
    await page.goto(srv.base);
    await page.getByRole("heading", { name: t("auth.title") }).waitFor();
    await page.getByLabel(t("auth.api_key")).fill(key);
    await page.getByLabel(t("auth.org_label")).fill(org);
    await page.getByRole("button", { name: t("auth.sign_in") }).click();
    await page.getByRole("heading", { level: 1, name: t("kb.title") }).waitFor();
  }

  async function walk(locale: string) {
    const t = catalog(locale);
    const tenantKey = await srv.newTenant(`Org ${locale}`);
    const context = await browser.newContext({ locale, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on("dialog", (d) => void d.accept());
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));

    // Sign in: a wrong key shows the localized unauthorized message, the tenant key gets in.
    await page.goto(srv.base);
    await page.getByLabel(t("auth.api_key")).fill("aih_wrong_key_000000000000000000");
    await page.getByRole("button", { name: t("auth.sign_in") }).click();
    await page.getByRole("alert").getByText(t("errors:unauthorized")).waitFor();
    await checkPage(page, locale, "sign-in");
    await signIn(page, t, tenantKey, `Org ${locale}`);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe(locale);

    // Knowledge bases: create, then change settings.
    const kbName = locale === "en" ? "Papers" : "论文资料";
    await page.getByLabel(t("kb.name")).fill(kbName);
    await page.getByRole("button", { name: t("kb.create_button") }).click();
    await page.getByRole("link", { name: kbName }).waitFor();
    await checkPage(page, locale, "knowledge-bases");
    await page
      .getByRole("link", { name: t("kb.settings") })
      .first()
      .click();
    await page.getByLabel(t("kb.prompt_template")).selectOption("strict");
    await page.getByRole("button", { name: t("common.save") }).click();
    await page.getByText(t("common.saved")).waitFor();
    await checkPage(page, locale, "kb-settings");

    // Documents: pick two files and drop a third; one fails with a code and what to do.
    await page.getByRole("link", { name: t("kb.documents") }).click();
    await page.getByText(t("docs.drop_here")).waitFor();
    await page
      .getByLabel(t("docs.choose_files"))
      .setInputFiles([join(FIXTURES, "pdf/pdfjs_tracemonkey.pdf"), join(FIXTURES, "pdf/tika_testOCR.pdf")]);
    const drop = await page.evaluateHandle(() => {
      const dt = new DataTransfer();
      dt.items.add(
        new File(["# Notes\n\nTrace trees record hot loops of a program and compile them.\n"], "notes.md", {
          type: "text/markdown",
        }),
      );
      return dt;
    });
    await page.dispatchEvent("[data-testid=dropzone]", "drop", { dataTransfer: drop });
    const item = (name: string) => page.getByTestId("upload-item").filter({ hasText: name });
    await item("pdfjs_tracemonkey.pdf").getByText(t("docs.stage.ready")).waitFor({ timeout: 120_000 });
    await item("notes.md").getByText(t("docs.stage.ready")).waitFor({ timeout: 120_000 });
    await item("tika_testOCR.pdf").getByText(t("docs.stage.failed")).waitFor({ timeout: 120_000 });
    expect(await item("pdfjs_tracemonkey.pdf").locator("progress").getAttribute("value")).toBe("100");
    await item("tika_testOCR.pdf").getByText(t("docs.failure.no_text")).waitFor();
    const row = (name: string) => page.getByTestId("documents-table").locator("tbody tr", { hasText: name });
    await row("notes.md").waitFor();
    await checkPage(page, locale, "documents");
    const kb = (await srv.api(tenantKey, "GET", "/v1/knowledge-bases")).data.find(
      (k: any) => k.name === kbName,
    );
    const docs = (await srv.api(tenantKey, "GET", `/v1/knowledge-bases/${kb.id}/documents`)).data;
    const paper = docs.find((d: any) => d.filename === "pdfjs_tracemonkey.pdf");

    // Filter by status, then delete one document and see what was removed.
    await page.getByLabel(t("docs.filter_status")).selectOption("failed");
    await row("tika_testOCR.pdf").waitFor();
    await page.waitForFunction(
      () => document.querySelectorAll("[data-testid=documents-table] tbody tr").length === 1,
    );
    await page.getByLabel(t("docs.filter_status")).selectOption("");
    await page.getByRole("button", { name: t("docs.delete_named", { name: "notes.md" }) }).click();
    await page.getByRole("status").filter({ hasText: "notes.md" }).waitFor();
    await page.waitForFunction(
      () => !document.querySelector("[data-testid=documents-table]")?.textContent?.includes("notes.md"),
    );

    // The document page: facts, and chunks/pages/download (or "not available" where the API lacks them).
    await row("pdfjs_tracemonkey.pdf").getByRole("link").click();
    await page.getByRole("heading", { name: t("doc.chunks_title") }).waitFor();
    await page
      .locator(".chunks li")
      .first()
      .or(page.getByText(t("doc.not_available")).first())
      .waitFor();
    await checkPage(page, locale, "document");

    // Retrieval test: ranked chunks with scores, pages and matched terms.
    await nav(page, t, "nav.retrieval");
    await page.getByLabel(t("search.query")).fill("trace trees hot loops");
    await page.getByLabel(t("common.knowledge_bases")).selectOption({ label: kbName });
    await page.getByRole("button", { name: t("search.run") }).click();
    await page.getByTestId("search-result").first().waitFor();
    const first = await page.getByTestId("search-result").first().textContent();
    expect(first).toContain(t("search.score"));
    expect(first).toContain(paper.title);
    expect(await page.getByTestId("search-result").first().locator("mark").count()).toBeGreaterThan(0);
    await checkPage(page, locale, "retrieval");

    // Playground: two models side by side, streamed, with usage and a citation that opens its source.
    await nav(page, t, "nav.playground");
    await page.getByLabel(t("ask.question")).fill("What do trace trees record?");
    await page.getByLabel(t("common.knowledge_bases")).selectOption({ label: kbName });
    await page.getByRole("checkbox", { name: /extractive/ }).check();
    await page.getByRole("checkbox", { name: /stub-gpt/ }).check();
    await page.getByRole("button", { name: t("ask.ask"), exact: true }).click();
    await page.getByTestId("ask-total").waitFor({ timeout: 60_000 });
    expect(await page.getByTestId("answer-column").count()).toBe(2);
    expect(await page.getByTestId("usage").count()).toBe(2);
    const stubColumn = page.getByTestId("answer-column").filter({ hasText: "stub-gpt" });
    expect(await stubColumn.textContent()).toContain("Trace trees record hot loops");
    await stubColumn.getByRole("button", { name: t("ask.open_source", { n: 1 }) }).click();
    await page.getByTestId("cited-source").waitFor();
    await checkPage(page, locale, "playground");

    // Keys: create with scopes and limits, the secret once, then revoke it.
    await nav(page, t, "nav.keys");
    await page.getByLabel(t("keys.name"), { exact: true }).fill("support bot");
    await page.getByLabel(t("keys.budget")).fill("5");
    await page.getByLabel(t("keys.rate_limit")).fill("60");
    await page.getByRole("button", { name: t("keys.create_button") }).click();
    await page.getByTestId("secret").waitFor();
    expect(await page.getByLabel(t("keys.secret")).inputValue()).toMatch(/^aih_/);
    await checkPage(page, locale, "keys");
    await page.getByRole("button", { name: t("keys.secret_stored") }).click();
    await page.getByRole("button", { name: t("keys.revoke_named", { name: "support bot" }) }).click();
    await page.getByText(t("keys.revoked"), { exact: true }).waitFor();

    // Usage: the page's totals are GET /v1/usage's, to the micro-dollar; a chart is drawn.
    await nav(page, t, "nav.usage");
    const total = page.getByTestId("usage-total-model");
    await total.waitFor();
    const today = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10);
    for (const group of ["day", "model", "key"]) {
      const api = await srv.api(tenantKey, "GET", `/v1/usage?group_by=${group}&from=${from}&to=${today}`);
      const shown = await page.getByTestId(`usage-total-${group}`).getAttribute("data-micros");
      expect(Number(shown)).toBe(api.totals.cost_micros);
      const rows = await page.getByTestId(`usage-table-${group}`).locator("tbody tr").count();
      expect(rows).toBe(api.data.length);
    }
    expect(await page.getByTestId("usage-table-model").textContent()).toContain("stub-gpt");
    expect(await page.locator(".chart canvas").count()).toBeGreaterThan(0);
    await checkPage(page, locale, "usage");

    // Audit log: entries, and the action filter.
    await nav(page, t, "nav.audit");
    await page.getByTestId("audit-table").waitFor();
    await page.getByLabel(t("audit.action")).fill("key.revoke");
    await page.getByTestId("audit-table").locator("tbody tr").first().waitFor();
    await page.waitForFunction(() =>
      [...document.querySelectorAll("[data-testid=audit-table] tbody tr")].every((r) =>
        r.textContent?.includes("key.revoke"),
      ),
    );
    await checkPage(page, locale, "audit");

    // Evals: a golden question, a run, the metrics table and chart.
    await nav(page, t, "nav.evals");
    await page.getByLabel(t("common.knowledge_bases")).selectOption({ label: kbName });
    await page.getByLabel(t("evals.question"), { exact: true }).fill("trace trees hot loops");
    await page.getByLabel(t("evals.expected_doc")).selectOption(paper.id);
    await page.getByRole("button", { name: t("evals.add") }).click();
    await page.getByText("trace trees hot loops", { exact: false }).first().waitFor();
    await page.getByRole("button", { name: t("evals.run") }).click();
    await page.getByTestId("eval-runs").locator("tbody tr").first().waitFor();
    expect(await page.locator(".chart canvas").count()).toBe(1);
    await checkPage(page, locale, "evals");

    // Members need a person signed in by account (this walk uses a key; the account pages have their
    // own test, console-accounts-browser.test.ts); an admin key manages embeds. Billing is a person's
    // page (owner and billing roles), so a key is not offered it (console-billing-browser.test.ts).
    await nav(page, t, "nav.members");
    await page.getByText(t("members.account_only")).waitFor();
    await checkPage(page, locale, "members");
    await nav(page, t, "nav.embeds");
    await page.getByText(t("embeds.empty")).waitFor();
    await checkPage(page, locale, "embeds");
    expect(await page.getByRole("link", { name: t("nav.billing") }).count()).toBe(0);

    expect(errors).toEqual([]);
    await context.close();
  }

  it("walks every page in English", async () => {
    await walk("en");
    expect(axeFindings).toEqual({});
  }, 400_000);

  it("walks every page in Simplified Chinese", async () => {
    await walk("zh-CN");
    expect(axeFindings).toEqual({});
  }, 400_000);

  it("lays Arabic out right to left", async () => {
    const t = catalog("ar");
    const key = await srv.newTenant("Org ar");
    const context = await browser.newContext({ locale: "ar", viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await signIn(page, t, key, "مؤسسة");
    expect(await page.evaluate(() => document.documentElement.dir)).toBe("rtl");
    await page.getByLabel(t("kb.name")).fill("الأدلة");
    await page.getByRole("button", { name: t("kb.create_button") }).click();
    await page.getByRole("link", { name: "الأدلة" }).waitFor();
    // The navigation sits on the right in a right-to-left layout.
    const navBox = await page.getByRole("navigation", { name: t("nav.label") }).boundingBox();
    const mainBox = await page.locator("main").boundingBox();
    expect(navBox!.x).toBeGreaterThan(mainBox!.x);
    await checkPage(page, "ar", "knowledge-bases");
    await context.close();
    expect(axeFindings).toEqual({});
  }, 120_000);
});
