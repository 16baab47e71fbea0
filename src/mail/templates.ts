import ar from "../i18n/locales/ar/email.json" with { type: "json" };
import de from "../i18n/locales/de/email.json" with { type: "json" };
import en from "../i18n/locales/en/email.json" with { type: "json" };
import es from "../i18n/locales/es/email.json" with { type: "json" };
import fr from "../i18n/locales/fr/email.json" with { type: "json" };
import ja from "../i18n/locales/ja/email.json" with { type: "json" };
import ko from "../i18n/locales/ko/email.json" with { type: "json" };
import ptBR from "../i18n/locales/pt-BR/email.json" with { type: "json" };
import ru from "../i18n/locales/ru/email.json" with { type: "json" };
import zhCN from "../i18n/locales/zh-CN/email.json" with { type: "json" };
import zhTW from "../i18n/locales/zh-TW/email.json" with { type: "json" };
import { type Locale, matchLocale, RTL_LOCALES } from "../i18n/locales.js";
import { fill } from "../i18n/translate.js";
import type { MailMessage } from "./types.js";

/** The e-mail namespace of the one catalog; the catalog test guarantees every locale has every key. */
const CATALOG: Record<Locale, typeof en> = {
  en,
  "zh-CN": zhCN,
  "zh-TW": zhTW,
  ja,
  ko,
  es,
  fr,
  de,
  "pt-BR": ptBR,
  ru,
  ar,
};

export type MailTemplate =
  | "verify_email"
  | "reset_password"
  | "change_email"
  | "email_changed"
  | "invitation";

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** Renders one template in the recipient's language (an unknown or missing locale falls back to English). */
export function renderMail(
  template: MailTemplate,
  locale: string | null | undefined,
  to: string,
  values: Record<string, string | number>,
): MailMessage {
  const lang = matchLocale(locale);
  const strings = CATALOG[lang];
  const role = typeof values.role === "string" ? values.role : undefined;
  const filled = {
    app: "AI Hub",
    ...values,
    ...(role && role in strings.roles ? { role: strings.roles[role as keyof typeof strings.roles] } : {}),
  };
  const subject = fill(strings[template].subject, filled);
  const body = fill(strings[template].body, filled);
  const text = `${body}\n\n${strings.ignore}\n`;
  const link = typeof values.link === "string" ? values.link : undefined;
  const paragraphs = text
    .trim()
    .split("\n\n")
    .map((p) => {
      let html = escapeHtml(p).replaceAll("\n", "<br>");
      if (link)
        html = html.replace(escapeHtml(link), `<a href="${escapeHtml(link)}">${escapeHtml(link)}</a>`);
      return `<p>${html}</p>`;
    })
    .join("\n");
  const dir = RTL_LOCALES.has(lang) ? "rtl" : "ltr";
  const html = `<!doctype html><html lang="${lang}" dir="${dir}"><body>${paragraphs}</body></html>`;
  return { to, subject, text, html, ...(link ? { link } : {}) };
}
