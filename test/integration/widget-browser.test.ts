import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signVisitorToken } from "../../src/services/embeds/visitor-token.js";
import { launchChromium } from "../helpers/browser.js";
import {
  type HostSite,
  snippetPage,
  startHostSite,
  startWidgetWorld,
  type WidgetWorld,
} from "../helpers/widget-harness.js";

const shots = mkdtempSync(join(tmpdir(), "aihub-widget-shots-"));

describe("the chat widget in Chromium, on a customer page of another origin", () => {
  let w: WidgetWorld;
  let site: HostSite;
  let foreign: HostSite;
  let browser: Browser;
  let embedId: string;

  beforeAll(async () => {
    [w, site, foreign, browser] = await Promise.all([
      startWidgetWorld(),
      startHostSite(),
      startHostSite(),
      launchChromium(),
    ]);
    const e = await w.createEmbed({
      allowed_origins: [site.origin],
      greeting: "Hi! Ask me about your router.",
      starter_questions: ["How do I reset the router?"],
    });
    embedId = e.id;
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await foreign?.close();
    await w?.close();
  });

  const visit = async (url: string, viewport = { width: 1200, height: 800 }) => {
    const page = await browser.newPage({ viewport });
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(m.text());
    });
    page.on("pageerror", (e) => problems.push(String(e)));
    await page.goto(url);
    return { page, problems };
  };
  const openAndAsk = async (page: Page, question?: string) => {
    await page.locator("ai-hub-chat .launch").click();
    if (question) {
      await page.locator("ai-hub-chat textarea").fill(question);
      await page.locator("ai-hub-chat form button").click();
    }
  };
  /** Waits for the streamed answer to be visible before it is complete, then for its citation chip. */
  const expectStreamedAnswer = async (page: Page) => {
    await page.waitForFunction(() => {
      const bubble = document
        .querySelector("ai-hub-chat")
        ?.shadowRoot?.querySelector('.m.a[aria-busy="true"]');
      const text = bubble?.textContent ?? "";
      return text.includes("reset") && !text.includes("guide");
    });
    const chip = page.locator("ai-hub-chat .chips button").first();
    await chip.waitFor();
    expect(await chip.textContent()).toBe("[1] Router manual · p. 4");
    await chip.click();
    expect(await chip.getAttribute("aria-expanded")).toBe("true");
    expect(await page.locator("ai-hub-chat blockquote").first().textContent()).toContain("two minutes");
  };

  it("answers while streaming with a chip naming the document and page; Markdown without raw HTML; feedback", async () => {
    site.pages.set("/", { html: snippetPage(w.api, embedId) });
    const { page, problems } = await visit(`${site.origin}/`);
    await page.locator("ai-hub-chat .launch").click();
    expect(await page.locator("ai-hub-chat .m.a").first().textContent()).toBe(
      "Hi! Ask me about your router.",
    );
    await page.locator("ai-hub-chat .starters button").click();
    await expectStreamedAnswer(page);
    const answer = page.locator("ai-hub-chat .m.a").last();
    expect(await answer.locator("strong").textContent()).toBe("reset");
    const links = answer.locator("a");
    expect(await links.count()).toBe(1);
    expect(await links.getAttribute("href")).toBe("https://example.com/guide");
    expect(await links.getAttribute("rel")).toBe("noopener noreferrer");
    expect(await answer.locator("img").count()).toBe(0);
    expect(await answer.textContent()).toContain("<img src=x onerror=alert(1)>");
    await answer.locator('.fb button[aria-pressed="false"]').first().click();
    await answer.locator('.fb [role="status"]').filter({ hasText: "Thanks" }).waitFor();
    const t = await w.a.t.call("GET", `/v1/embeds/${embedId}/conversations`, { key: w.seed.adminKey });
    expect(t.body.data.at(-1).messages[1].feedback).toBe("up");
    // Esc closes the dialog and gives focus back to the launcher.
    await page.locator("ai-hub-chat textarea").focus();
    await page.keyboard.press("Escape");
    expect(await page.locator("ai-hub-chat .panel").isHidden()).toBe(true);
    expect(
      await page.evaluate(() => document.querySelector("ai-hub-chat")?.shadowRoot?.activeElement?.className),
    ).toBe("launch");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("keeps focus inside the open panel, and fills the screen at 640 px or less", async () => {
    site.pages.set("/mobile", { html: snippetPage(w.api, embedId) });
    const { page } = await visit(`${site.origin}/mobile`, { width: 400, height: 700 });
    await openAndAsk(page);
    const box = await page.locator("ai-hub-chat .panel").boundingBox();
    expect(box).toEqual({ x: 0, y: 0, width: 400, height: 700 });
    for (let i = 0; i < 8; i++) await page.keyboard.press("Tab");
    const inside = await page.evaluate(() => {
      const root = document.querySelector("ai-hub-chat")?.shadowRoot;
      return root?.querySelector(".panel")?.contains(root.activeElement) ?? false;
    });
    expect(inside).toBe(true);
    await page.close();
  });

  it("a page on an origin not on the list gets the refusal", async () => {
    foreign.pages.set("/", { html: snippetPage(w.api, embedId) });
    const { page } = await visit(`${foreign.origin}/`);
    await page.locator("ai-hub-chat .launch").click();
    const err = page.locator("ai-hub-chat .err");
    await err.waitFor();
    expect(await err.textContent()).toContain("This assistant is not available on this website.");
    const direct = await fetch(`${w.api}/v1/public/embeds/${embedId}`, {
      headers: { origin: foreign.origin },
    });
    expect(direct.status).toBe(403);
    expect(direct.headers.get("access-control-allow-origin")).toBeNull();
    expect(((await direct.json()) as { detail: string }).detail).toContain(foreign.origin);
    await page.close();
  });

  it("signed mode refuses a missing and an expired token, and chats with a valid one", async () => {
    const e = await w.createEmbed({
      allowed_origins: [site.origin],
      signed_visitors_only: true,
      greeting: "Welcome back!",
    });
    site.pages.set("/signed", { html: snippetPage(w.api, e.id) });
    const { page } = await visit(`${site.origin}/signed`);
    await page.locator("ai-hub-chat .launch").click();
    const err = page.locator("ai-hub-chat .err");
    await err.waitFor();
    expect(await err.textContent()).toContain("Please sign in to chat with this assistant.");
    const now = Math.floor(Date.now() / 1000);
    const token = (exp: number) =>
      signVisitorToken({ embed_id: e.id, visitor_id: "cust-7", exp }, e.signing_secret);
    await page.evaluate((t) => (window as any).AIHubChat.setVisitorToken(t), token(now - 10));
    await page.locator("ai-hub-chat .err").filter({ hasText: "Your session has expired" }).waitFor();
    await page.evaluate((t) => (window as any).AIHubChat.setVisitorToken(t), token(now + 600));
    await page.locator("ai-hub-chat .m.a").filter({ hasText: "Welcome back!" }).waitFor();
    await page.locator("ai-hub-chat textarea").fill("How do I reset the router?");
    await page.locator("ai-hub-chat form button").click();
    await page.locator("ai-hub-chat .chips button").first().waitFor();
    await page.close();
  });

  it("a reached cap shows its message and offers a new conversation", async () => {
    const e = await w.createEmbed({ allowed_origins: [site.origin], max_messages_per_conversation: 1 });
    site.pages.set("/capped", { html: snippetPage(w.api, e.id) });
    const { page } = await visit(`${site.origin}/capped`);
    await openAndAsk(page, "How do I reset the router?");
    await page.locator("ai-hub-chat .chips button").first().waitFor();
    await page.locator("ai-hub-chat textarea").fill("And how long does it take?");
    await page.locator("ai-hub-chat form button").click();
    const err = page.locator("ai-hub-chat .err");
    await err.waitFor();
    expect(await err.textContent()).toContain("This conversation has reached its limit of 1 questions.");
    await err.locator("button").click();
    await page.locator("ai-hub-chat textarea").fill("How do I reset the router?");
    await page.locator("ai-hub-chat form button").click();
    await page.locator("ai-hub-chat .chips button").first().waitFor();
    await page.close();
  });

  it("hostile page CSS neither breaks the widget nor is changed by it; one global name", async () => {
    const head = "<style>* { all: unset } div { display: none } p { color: rgb(1, 2, 3) }</style>";
    const body = '<p id="probe">Hello</p><div id="box">box</div>';
    const probe = (page: Page) =>
      page.evaluate(() => {
        const p = document.getElementById("probe")!;
        const s = getComputedStyle(p);
        const b = getComputedStyle(document.body);
        return {
          p: [s.color, s.display, s.fontSize, s.fontFamily, s.margin],
          body: [b.margin, b.backgroundColor, b.fontFamily, b.direction],
          box: getComputedStyle(document.getElementById("box")!).display,
          sheets: document.styleSheets.length,
          adopted: document.adoptedStyleSheets.length,
          styled: document.querySelectorAll("[style]").length,
          globals: Object.keys(window),
        };
      });
    site.pages.set("/plain", { html: snippetPage(w.api, embedId, { head, body, script: false }) });
    site.pages.set("/hostile", { html: snippetPage(w.api, embedId, { head, body }) });
    const plain = await visit(`${site.origin}/plain`);
    const before = await probe(plain.page);
    await plain.page.close();
    const { page } = await visit(`${site.origin}/hostile`);
    await page.locator("ai-hub-chat .launch").waitFor();
    await openAndAsk(page, "How do I reset the router?");
    await expectStreamedAnswer(page);
    const panel = await page.locator("ai-hub-chat .panel").boundingBox();
    expect(panel!.width).toBeGreaterThan(300);
    expect(panel!.height).toBeGreaterThan(400);
    const after = await probe(page);
    expect({ ...after, globals: undefined }).toEqual({ ...before, globals: undefined });
    expect(after.globals.filter((g) => !before.globals.includes(g))).toEqual(["AIHubChat"]);
    await page.close();
  });

  it("works under a strict Content-Security-Policy (no inline script or style, Trusted Types)", async () => {
    const csp = [
      "default-src 'none'",
      `script-src ${w.api}`,
      `connect-src ${w.api}`,
      "style-src 'none'",
      "img-src 'none'",
      "base-uri 'none'",
      "require-trusted-types-for 'script'",
    ].join("; ");
    site.pages.set("/csp", {
      html: snippetPage(w.api, embedId),
      headers: { "content-security-policy": csp },
    });
    const { page, problems } = await visit(`${site.origin}/csp`);
    await openAndAsk(page, "How do I reset the router?");
    await expectStreamedAnswer(page);
    const color = await page.evaluate(
      () =>
        getComputedStyle(document.querySelector("ai-hub-chat")!.shadowRoot!.querySelector(".launch")!)
          .backgroundColor,
    );
    expect(color).toBe("rgb(37, 99, 235)");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("inline element, theming through data attributes and custom properties, dark mode", async () => {
    const body = `<section><ai-hub-chat data-embed-id="${embedId}" data-color-scheme="dark"></ai-hub-chat></section>`;
    const head = "<style>ai-hub-chat { --aihub-primary: #ff0000 }</style>";
    site.pages.set("/inline", {
      html:
        snippetPage(w.api, embedId, { head, body, script: false }) +
        `<script src="${w.api}/widget.js" async></script>`,
    });
    const { page } = await visit(`${site.origin}/inline`);
    const header = page.locator("ai-hub-chat header");
    await header.waitFor();
    const styles = await page.evaluate(() => {
      const root = document.querySelector("ai-hub-chat")!.shadowRoot!;
      return {
        header: getComputedStyle(root.querySelector("header")!).backgroundColor,
        panel: getComputedStyle(root.querySelector(".panel")!).backgroundColor,
        launcher: root.querySelector(".launch") !== null,
      };
    });
    expect(styles).toEqual({ header: "rgb(255, 0, 0)", panel: "rgb(17, 24, 39)", launcher: false });
    await page.close();
  });

  for (const [locale, question, title] of [
    ["zh-CN", "如何重置路由器？", "路由器使用手册 · 第 4 页"],
    ["ar", "كيف أعيد ضبط الراوتر؟", "دليل الراوتر · ص 4"],
  ] as const) {
    it(`${locale}: strings from the catalog${locale === "ar" ? ", right to left" : ""}; screenshot`, async () => {
      const e = await w.createEmbed({
        allowed_origins: [site.origin],
        models: ["extractive"],
        starter_questions: [question],
      });
      site.pages.set(`/${locale}`, { html: snippetPage(w.api, e.id, { attrs: `data-locale="${locale}"` }) });
      const { page } = await visit(`${site.origin}/${locale}`, { width: 900, height: 760 });
      await page.locator("ai-hub-chat .launch").click();
      await page.locator("ai-hub-chat .starters button").click();
      const chip = page.locator("ai-hub-chat .chips button").first();
      await chip.waitFor();
      expect(await chip.textContent()).toBe(`[1] ${title}`);
      const ui = await page.evaluate(() => {
        const root = document.querySelector("ai-hub-chat")!.shadowRoot!;
        return {
          dir: root.querySelector(".panel")!.getAttribute("dir"),
          placeholder: root.querySelector("textarea")!.placeholder,
        };
      });
      expect(ui).toEqual(
        locale === "ar"
          ? { dir: "rtl", placeholder: "اكتب سؤالك…" }
          : { dir: "ltr", placeholder: "请输入您的问题…" },
      );
      await chip.click();
      const file = join(shots, `widget-${locale}.png`);
      await page.screenshot({ path: file });
      if (process.env.UPDATE_SCREENSHOTS)
        copyFileSync(file, join("src/widget/screenshots", `widget-${locale}.png`));
      await page.close();
    });
  }
});
