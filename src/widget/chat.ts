import { Api, type EmbedConfig, type Source } from "./api.js";
import { type Lang, pickLang } from "./i18n.js";
import { renderMarkdown } from "./markdown.js";
import { type Conv, feedbackRow, h, refusalMessage, sourceChips } from "./message-parts.js";
import { CSS } from "./styles.js";

export interface ChatOptions {
  base: string;
  embedId: string;
  inline: boolean;
  locale?: string | null;
  position?: string | null;
  scheme?: string | null;
  color?: string | null;
  visitorToken?: string | null;
}

let shared: CSSStyleSheet | undefined;
const COLOR = /^#[0-9a-f]{3,8}$/i;
/** The launcher's speech bubble, built as nodes: no innerHTML, so Trusted Types policies are never needed. */
function icon(): SVGSVGElement {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  const path = document.createElementNS(ns, "path");
  path.setAttribute("d", "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z");
  svg.append(path);
  return svg;
}

/** One chat: a launcher and a panel (or the panel alone, inline) inside the element's shadow root. */
export class Chat {
  readonly api: Api;
  readonly root: ShadowRoot;
  lang: Lang;
  cfg: EmbedConfig | null = null;
  conv: Conv | null = null;
  busy = false;
  private themeSheet = new CSSStyleSheet();
  private launch = h("button", "launch");
  private panel = h("div", "panel");
  private title = h("h2");
  private closeBtn = h("button");
  private log = h("div", "log");
  private live = h("div", "sr");
  private input = h("textarea");
  private send = h("button");
  private form = h("form");

  constructor(
    readonly host: HTMLElement,
    readonly opts: ChatOptions,
  ) {
    this.api = new Api(opts.base, opts.embedId);
    this.api.visitorToken = opts.visitorToken ?? null;
    this.root = host.attachShadow({ mode: "open" });
    if (!shared) {
      shared = new CSSStyleSheet();
      shared.replaceSync(CSS);
    }
    this.root.adoptedStyleSheets = [shared, this.themeSheet];
    this.lang = pickLang(opts.locale);
    if (opts.inline) host.setAttribute("data-inline", "");
    this.build();
    this.theme();
    void this.load();
  }

  private build() {
    const { launch, panel, title, closeBtn, log, live, input, send, form } = this;
    launch.append(icon());
    launch.setAttribute("aria-haspopup", "dialog");
    launch.setAttribute("aria-expanded", "false");
    launch.onclick = () => (this.panel.hidden ? this.open() : this.close());
    const head = h("header");
    title.id = "t";
    closeBtn.textContent = "×";
    closeBtn.onclick = () => this.close();
    head.append(title, closeBtn);
    panel.setAttribute("role", this.opts.inline ? "region" : "dialog");
    if (!this.opts.inline) panel.setAttribute("aria-modal", "true");
    panel.setAttribute("aria-labelledby", "t");
    log.setAttribute("role", "log");
    // Announcements come from the live region below, phrase by phrase, not from re-rendered bubbles.
    log.setAttribute("aria-live", "off");
    live.setAttribute("aria-live", "polite");
    input.rows = 1;
    send.type = "submit";
    form.append(input, send);
    form.onsubmit = (e) => {
      e.preventDefault();
      const q = input.value.trim();
      if (q && !this.busy) {
        input.value = "";
        void this.ask(q);
      }
    };
    input.onkeydown = (e) => {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        form.requestSubmit();
      }
    };
    panel.onkeydown = (e) => this.keys(e);
    panel.append(head, log, live, form);
    if (this.opts.inline) closeBtn.hidden = true;
    else panel.hidden = true;
    this.root.append(panel);
    if (!this.opts.inline) this.root.append(launch);
    this.texts();
  }

  /** Every visible string, again after setLanguage. */
  private texts() {
    const { t, rtl, locale } = this.lang;
    this.panel.dir = rtl ? "rtl" : "ltr";
    this.panel.lang = locale;
    this.title.textContent = this.cfg?.name || t("title_default");
    this.launch.setAttribute("aria-label", t("launcher_open"));
    this.closeBtn.setAttribute("aria-label", t("close"));
    this.input.placeholder = t("input_placeholder");
    this.input.setAttribute("aria-label", t("input_label"));
    this.send.textContent = t("send");
  }

  private theme() {
    const th = this.cfg?.theme ?? {};
    const pos = this.opts.position ?? th.position ?? "right";
    const scheme = this.opts.scheme ?? th.color_scheme ?? "light";
    this.host.setAttribute("data-position", pos === "left" ? "left" : "right");
    this.host.setAttribute("data-scheme", ["dark", "auto"].includes(scheme) ? scheme : "light");
    const forced = this.opts.color && COLOR.test(this.opts.color) ? this.opts.color : null;
    const fallback = th.primary_color && COLOR.test(th.primary_color) ? th.primary_color : "#2563eb";
    // The page's --aihub-primary wins over the embed's theme; data-primary-color wins over both.
    this.themeSheet.replaceSync(`:host{--p:${forced ?? `var(--aihub-primary,${fallback})`}!important}`);
  }

  async load() {
    this.log.replaceChildren();
    try {
      this.cfg = await this.api.config();
    } catch (err) {
      this.fail(err, () => void this.load());
      return;
    }
    if (!this.opts.locale && this.cfg.default_language) this.lang = pickLang(this.cfg.default_language);
    this.theme();
    this.texts();
    this.welcome();
  }

  private welcome() {
    const cfg = this.cfg;
    if (!cfg) return;
    if (cfg.greeting) this.log.append(h("div", "m a", cfg.greeting));
    if (cfg.starter_questions.length) {
      const box = h("div", "starters");
      box.setAttribute("role", "group");
      box.setAttribute("aria-label", this.lang.t("starters_label"));
      for (const q of cfg.starter_questions) {
        const b = h("button", "", q);
        b.type = "button";
        b.onclick = () => {
          if (!this.busy) void this.ask(q);
        };
        box.append(b);
      }
      this.log.append(box);
    }
  }

  open() {
    if (this.opts.inline) return this.input.focus();
    this.panel.hidden = false;
    this.launch.setAttribute("aria-expanded", "true");
    this.launch.setAttribute("aria-label", this.lang.t("close"));
    this.input.focus();
  }

  close() {
    if (this.opts.inline || this.panel.hidden) return;
    this.panel.hidden = true;
    this.launch.setAttribute("aria-expanded", "false");
    this.launch.setAttribute("aria-label", this.lang.t("launcher_open"));
    this.launch.focus();
  }

  setLanguage(locale: string) {
    this.opts.locale = locale;
    this.lang = pickLang(locale);
    this.texts();
  }

  setVisitorToken(token: string | null) {
    const changed = token !== this.api.visitorToken;
    this.api.visitorToken = token;
    // A conversation belongs to one visitor: a new token starts afresh, and a refused load retries.
    if (changed) {
      this.conv = null;
      if (!this.cfg || this.log.querySelector(".err")) void this.load();
    }
  }

  /** Focus stays inside the open dialog; Esc closes it. */
  private keys(e: KeyboardEvent) {
    if (this.opts.inline) return;
    if (e.key === "Escape") {
      e.preventDefault();
      this.close();
      return;
    }
    if (e.key !== "Tab") return;
    const items = [...this.panel.querySelectorAll<HTMLElement>("button,textarea,a[href]")].filter(
      (el) => !el.closest("[hidden]") && !(el as HTMLButtonElement).disabled,
    );
    const first = items[0];
    const last = items.at(-1);
    const active = this.root.activeElement;
    if (e.shiftKey && active === first) {
      e.preventDefault();
      last?.focus();
    } else if (!e.shiftKey && active === last) {
      e.preventDefault();
      first?.focus();
    }
  }

  private visitorId(): string {
    const key = `aihub.v.${this.opts.embedId}`;
    let id: string | null = null;
    try {
      id = localStorage.getItem(key);
    } catch {}
    if (!id) {
      id = `v_${[...crypto.getRandomValues(new Uint8Array(12))].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
      try {
        localStorage.setItem(key, id);
      } catch {}
    }
    return id;
  }

  private scroll() {
    this.log.scrollTop = this.log.scrollHeight;
  }

  private setBusy(busy: boolean) {
    this.busy = busy;
    this.send.disabled = busy;
  }

  async ask(question: string) {
    this.log.querySelector(".starters")?.remove();
    this.log.append(h("div", "m u", question));
    const bubble = h("div", "m a");
    bubble.setAttribute("aria-busy", "true");
    const wait = h("span", "busy", this.lang.t("thinking"));
    bubble.append(wait);
    this.log.append(bubble);
    this.live.replaceChildren();
    this.scroll();
    this.setBusy(true);
    let sources: Source[] = [];
    let text = "";
    let pending = "";
    let frame = 0;
    let cited: number[] = [];
    const cite = (n: number) => {
      if (!sources.some((s) => s.n === n)) return null;
      const b = h("button", "cite", String(n));
      b.type = "button";
      b.setAttribute("aria-label", `${this.lang.t("show_passage")} ${n}`);
      b.onclick = () => bubble.querySelector<HTMLButtonElement>(`.chips button[data-n="${n}"]`)?.click();
      return b;
    };
    const paint = () => {
      frame = 0;
      bubble.replaceChildren(renderMarkdown(text, cite));
      this.scroll();
    };
    const announce = (force: boolean) => {
      // Whole phrases, so a screen reader reads sentences rather than word fragments.
      const cut = force
        ? pending.length
        : Math.max(...[".", "。", "!", "?", "！", "？", "\n"].map((p) => pending.lastIndexOf(p))) + 1;
      if (cut > 0) {
        this.live.append(document.createTextNode(pending.slice(0, cut)));
        pending = pending.slice(cut);
      }
    };
    try {
      this.conv ??= await this.api.start(this.visitorId());
      const conv = this.conv;
      const messageId = await this.api.ask(conv, question, (ev, data) => {
        if (ev === "sources") sources = data.sources ?? [];
        else if (ev === "delta") {
          text += data.text ?? "";
          pending += data.text ?? "";
          announce(false);
          frame ||= requestAnimationFrame(paint);
        } else if (ev === "done") {
          const models = data.models ?? [];
          const answered = models.find((m) => m.status === "ok") ?? models[0];
          cited = answered?.citations ?? [];
        }
      });
      cancelAnimationFrame(frame);
      announce(true);
      if (!text || !sources.length || !cited.length) {
        bubble.className = "m a nf";
        bubble.textContent = this.lang.t("not_found");
        this.live.textContent = bubble.textContent;
      } else {
        paint();
        bubble.append(sourceChips(this.lang, sources, cited));
      }
      if (messageId) bubble.append(feedbackRow(this.lang, this.api, conv, messageId));
    } catch (err) {
      cancelAnimationFrame(frame);
      bubble.remove();
      this.fail(err, () => {
        this.log.lastElementChild?.remove(); // the error
        this.log.lastElementChild?.remove(); // the question, asked again below
        void this.ask(question);
      });
    } finally {
      bubble.removeAttribute("aria-busy");
      this.setBusy(false);
      this.scroll();
    }
  }

  /** A refusal shows the server's reason in the visitor's language; a network error offers a retry. */
  private fail(err: unknown, retry: () => void) {
    const { t } = this.lang;
    const { key, limit, action } = refusalMessage(err, this.cfg !== null);
    const box = h("div", "m err");
    box.setAttribute("role", "alert");
    box.append(h("span", "", t(key, { limit: String(limit) }) || t("error_generic")));
    if (action) {
      const b = h("button", "", t(action === "new" ? "new_conversation" : "retry"));
      b.type = "button";
      b.onclick =
        action === "new"
          ? () => {
              this.conv = null;
              this.log.replaceChildren();
              this.welcome();
              this.input.focus();
            }
          : retry;
      box.append(b);
    }
    this.log.append(box);
    this.scroll();
  }
}
