import { currentLocale } from "../../i18n/index";

/** A bundle's per-locale text in the console's language: the exact locale, its language, else English. */
export function localized(text: Record<string, string>): string {
  const lang: string = currentLocale();
  return text[lang] ?? text[lang.split("-")[0] ?? ""] ?? text.en ?? Object.values(text)[0] ?? "";
}
