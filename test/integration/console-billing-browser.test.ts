import { mkdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { billingEnv } from "../helpers/billing.js";
import { launchChromium } from "../helpers/browser.js";
import {
  CONSOLE_ADMIN_KEY,
  type ConsoleServer,
  seriousAxeViolations,
  startConsoleServer,
} from "../helpers/console.js";
import { AccountClient, catalog, mailedToken } from "../helpers/console-people.js";

/**
 * The console's Billing page in real Chromium against a real server with BILLING=on: a new person signs
 * up through the console, confirms the e-mailed link, signs in, finds Billing (owners only), sees the
 * plan's quotas, redeems a code the operator generated, sees the balance rise, and downloads the month's
 * statement. Selectors come from the catalog.
 */
const PASSWORD = "violet-harbor-lantern-42";
const EMAIL = "mei@newco.example";
const SHOTS = process.env.CONSOLE_SCREENSHOTS ?? "test/bench/results/tmp/console-screens";
const t = catalog("en");

describe("console Billing page in Chromium", () => {
  let srv: ConsoleServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    [srv, browser] = await Promise.all([
      startConsoleServer({
        env: { ...billingEnv(), SIGNUP: "open", PASSWORD_SCRYPT_LOG_N: "12" },
      }),
      launchChromium(),
    ]);
    context = await browser.newContext({
      locale: "en",
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
    });
    page = await context.newPage();
  }, 600_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await srv?.close();
  });

  it("signs up, sees the quota, redeems a code, sees the balance rise, and downloads a statement", async () => {
    // Sign up in the console; the verification link comes by e-mail (the server log without SMTP).
    await page.goto(`${srv.base}/auth/sign-up`);
    await page.getByLabel(t("auth.email"), { exact: true }).fill(EMAIL);
    await page.getByLabel(t("auth.new_password"), { exact: true }).fill(PASSWORD);
    await page.getByLabel(t("auth.organization_name"), { exact: true }).fill("Newco");
    await page.getByRole("button", { name: t("auth.create_account") }).click();
    await page.getByText(t("auth.sign_up_done_server_log", { email: EMAIL })).waitFor();
    const token = await mailedToken(srv, EMAIL, "verify-email");
    await page.goto(`${srv.base}/auth/verify-email?token=${token}`);
    await page.getByRole("button", { name: t("auth.verify_email") }).click();
    await page.getByText(t("auth.verify_done")).waitFor();
    await page.goto(srv.base);
    await page.getByLabel(t("auth.email"), { exact: true }).fill(EMAIL);
    await page.getByLabel(t("auth.password"), { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: t("auth.continue"), exact: true }).click();
    await page.getByRole("heading", { level: 1, name: t("kb.title") }).waitFor();

    // One knowledge base of the free plan's one, made over HTTP by the same person.
    const client = new AccountClient(srv.base);
    await client.call("POST", "/v1/auth/sign-in", { email: EMAIL, password: PASSWORD });
    await client.call("POST", "/v1/knowledge-bases", { name: "Manuals" });

    // The owner is offered Billing (the server sells plans): plan, quotas against limits, empty wallet.
    await page
      .getByRole("navigation", { name: t("nav.label") })
      .getByRole("link", { name: t("nav.billing") })
      .click();
    await page.getByRole("heading", { level: 1, name: t("nav.billing") }).waitFor();
    await page.getByRole("heading", { name: t("billing.plan", { plan: "Free" }) }).waitFor();
    const kbRow = page.getByTestId("billing-quota").locator('tr[data-quota="knowledge_bases"]');
    await kbRow.waitFor();
    expect(await kbRow.locator("td").allInnerTexts()).toEqual(["1", "1"]);
    const requests = page.getByTestId("billing-quota").locator('tr[data-quota="requests_per_month"]');
    expect(await requests.locator("td").allInnerTexts()).toEqual(["0", "2"]);
    const balance = page.getByTestId("billing-balance");
    expect(await balance.getAttribute("data-micros")).toBe("0");
    await page.getByText(t("billing.wallet_empty")).waitFor();
    const found = await seriousAxeViolations(page);
    expect(found).toEqual([]);

    // The operator hands out a code; the person redeems it and the balance rises.
    const batch = await srv.api(CONSOLE_ADMIN_KEY, "POST", "/v1/platform/redemption-codes", {
      count: 1,
      amount_usd: "5.00",
    });
    await page.getByLabel(t("billing.code")).fill(batch.codes[0]);
    await page.getByRole("button", { name: t("billing.redeem") }).click();
    await page
      .getByRole("status")
      .getByText(t("billing.redeemed", { amount: "$5.00" }))
      .waitFor();
    await page.locator('[data-testid="billing-balance"][data-micros="5000000"]').waitFor();
    expect(await balance.innerText()).toBe(t("billing.balance", { amount: "$5.00" }));
    await page.getByTestId("billing-wallet-entries").getByText(t("billing.kind_code")).waitFor();
    await page.screenshot({ path: join(SHOTS, "en-billing.png"), fullPage: true });

    // This month's statement, downloaded as CSV and PDF: the code is on it.
    const month = new Date().toISOString().slice(0, 7);
    const [csv] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: t("billing.download_as", { month, format: "CSV" }) }).click(),
    ]);
    expect(csv.suggestedFilename()).toBe(`statement-${month}-open.csv`);
    const text = await readFile((await csv.path())!, "utf8");
    expect(text).toContain('"total","codes","","","","","","","5000000","5.000000"');
    const [pdf] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: t("billing.download_as", { month, format: "PDF" }) }).click(),
    ]);
    expect(pdf.suggestedFilename()).toBe(`statement-${month}-open.pdf`);
    expect((await readFile((await pdf.path())!)).subarray(0, 5).toString()).toBe("%PDF-");
  }, 300_000);
});
