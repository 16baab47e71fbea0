import { type Api, ApiRefusal, type Source } from "./api.js";
import type { Lang, StringKey } from "./i18n.js";
import { arrow } from "./icons.js";

/**
 * The parts of an answer under its text (the cited sources, the feedback buttons and comment) and
 * what a failed ask says: built from the answer's data alone, so the chat shell (chat.ts) only places
 * them. Every string comes from the widget's catalog (i18n.ts).
 */

export type Conv = { conversation_id: string; conversation_token: string };

/** An element with a class and text, built as nodes (no innerHTML anywhere in the widget). */
export const h = <K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string) => {
  const el = document.createElement(tag);
  if (cls) el.className = cls;
  if (text !== undefined) el.textContent = text;
  return el;
};

/** One button per cited source, in citation order; each opens the quoted passage under it. */
export function sourceChips(lang: Lang, sources: Source[], cited: number[]): HTMLDivElement {
  const box = h("div", "chips");
  box.setAttribute("role", "group");
  box.setAttribute("aria-label", lang.t("sources_label"));
  for (const n of cited) {
    const s = sources.find((x) => x.n === n);
    if (!s) continue;
    const page =
      s.page_start === null
        ? ""
        : ` · ${lang.t("page", { page: s.page_end && s.page_end !== s.page_start ? `${s.page_start}–${s.page_end}` : s.page_start })}`;
    const b = h("button", "", `[${n}] ${s.title}${page}`);
    b.type = "button";
    b.dataset.n = String(n);
    b.setAttribute("aria-expanded", "false");
    const quote = h("blockquote", "", s.text);
    quote.hidden = true;
    b.onclick = () => {
      quote.hidden = !quote.hidden;
      b.setAttribute("aria-expanded", String(!quote.hidden));
    };
    box.append(b, quote);
  }
  return box;
}

/** Thumbs up and down for one answer; a thumbs down opens a comment box under the row. */
export function feedbackRow(lang: Lang, api: Api, conv: Conv, messageId: string): HTMLDivElement {
  const row = h("div", "fb");
  const { t } = lang;
  const mk = (rating: "up" | "down", label: StringKey) => {
    const b = h("button");
    b.append(arrow(rating));
    b.type = "button";
    b.setAttribute("aria-label", t(label));
    b.setAttribute("aria-pressed", "false");
    b.onclick = async () => {
      for (const x of row.querySelectorAll("button")) x.setAttribute("aria-pressed", String(x === b));
      try {
        await api.feedback(conv, messageId, rating);
      } catch {
        return;
      }
      if (rating === "down" && !row.nextElementSibling)
        row.after(feedbackComment(lang, api, conv, messageId));
      else thanks.textContent = t("feedback_thanks");
    };
    return b;
  };
  const thanks = h("span");
  thanks.setAttribute("role", "status");
  row.append(mk("up", "feedback_up"), mk("down", "feedback_down"), thanks);
  return row;
}

function feedbackComment(lang: Lang, api: Api, conv: Conv, messageId: string): HTMLFormElement {
  const box = h("form", "fbc");
  const area = h("textarea");
  area.setAttribute("aria-label", lang.t("feedback_comment"));
  area.placeholder = lang.t("feedback_comment");
  area.maxLength = 1000;
  const b = h("button", "", lang.t("feedback_submit"));
  box.append(area, b);
  box.onsubmit = async (e) => {
    e.preventDefault();
    await api.feedback(conv, messageId, "down", area.value.trim()).catch(() => {});
    box.replaceChildren(h("span", "busy", lang.t("feedback_thanks")));
  };
  return box;
}

/**
 * What a failed ask tells the visitor: the catalog key for the server's reason (by its stable error
 * code), the limit it names, and whether to offer a retry or a new conversation.
 */
export function refusalMessage(
  err: unknown,
  configLoaded: boolean,
): { key: StringKey; limit: unknown; action: "retry" | "new" | null } {
  if (!(err instanceof ApiRefusal)) {
    // Without CORS the browser hides a refusal: a load that fails may be a foreign origin or no network.
    return { key: configLoaded ? "error_network" : "error_unavailable", limit: "", action: "retry" };
  }
  const b = err.body;
  const limit = b.limit ?? "";
  if (err.code === "cap_reached") {
    return {
      key: `cap_${b.cap}` as StringKey,
      limit,
      action: b.cap === "messages_per_conversation" ? "new" : null,
    };
  }
  if (err.code === "budget_exceeded") return { key: "budget", limit, action: null };
  if (err.code === "rate_limited") return { key: "rate_limited", limit, action: "retry" };
  if (err.code === "visitor_token_invalid") {
    return { key: b.reason === "expired" ? "error_token_expired" : "error_signin", limit, action: null };
  }
  if (err.code === "origin_not_allowed" || err.status === 404) {
    return { key: "error_unavailable", limit, action: null };
  }
  return { key: "error_generic", limit, action: "retry" };
}
