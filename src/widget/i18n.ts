import ar from "../i18n/locales/ar/widget.json";
import de from "../i18n/locales/de/widget.json";
import en from "../i18n/locales/en/widget.json";
import es from "../i18n/locales/es/widget.json";
import fr from "../i18n/locales/fr/widget.json";
import ja from "../i18n/locales/ja/widget.json";
import ko from "../i18n/locales/ko/widget.json";
import ptBR from "../i18n/locales/pt-BR/widget.json";
import ru from "../i18n/locales/ru/widget.json";
import zhCN from "../i18n/locales/zh-CN/widget.json";
import zhTW from "../i18n/locales/zh-TW/widget.json";
import { type Locale, matchLocale, RTL_LOCALES } from "../i18n/locales.js";
import { fill } from "../i18n/translate.js";

export type Strings = typeof en;
export type StringKey = keyof Strings;

const CATALOG: Record<Locale, Strings> = {
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

export interface Lang {
  locale: Locale;
  rtl: boolean;
  t(key: StringKey, values?: Record<string, string | number>): string;
}

/** The page's choice (data-locale / setLanguage), else the embed's default, else the browser's. */
export function pickLang(...wanted: (string | null | undefined)[]): Lang {
  const requested = wanted.find((w) => w) ?? navigator.languages?.join(",") ?? navigator.language;
  const locale = matchLocale(requested);
  const strings = CATALOG[locale];
  return {
    locale,
    rtl: RTL_LOCALES.has(locale),
    t: (key, values = {}) => fill(strings[key] ?? "", values),
  };
}
