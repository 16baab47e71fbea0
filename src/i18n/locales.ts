/**
 * The languages every user-visible string ships in: console, widget and e-mails read one catalog
 * (`src/i18n/locales/<locale>/<namespace>.json`). A namespace is one file per locale so each surface
 * owns its own strings; `test/unit/i18n-catalog.test.ts` fails when a key is missing anywhere.
 */
export const LOCALES = ["en", "zh-CN", "zh-TW", "ja", "ko", "es", "fr", "de", "pt-BR", "ru", "ar"] as const;
export type Locale = (typeof LOCALES)[number];

export const DEFAULT_LOCALE: Locale = "en";

/** Right-to-left scripts: the surfaces set `dir="rtl"` for these. */
export const RTL_LOCALES: ReadonlySet<Locale> = new Set<Locale>(["ar"]);

/** Names of the locales in their own language, for language pickers. */
export const LOCALE_NAMES: Record<Locale, string> = {
  en: "English",
  "zh-CN": "简体中文",
  "zh-TW": "繁體中文",
  ja: "日本語",
  ko: "한국어",
  es: "Español",
  fr: "Français",
  de: "Deutsch",
  "pt-BR": "Português (Brasil)",
  ru: "Русский",
  ar: "العربية",
};

/**
 * Picks the best supported locale for a BCP 47 tag or an Accept-Language list ("zh-Hant-TW", "pt",
 * "zh;q=0.9,en;q=0.8"); falls back to English.
 */
export function matchLocale(requested: string | null | undefined): Locale {
  if (!requested) return DEFAULT_LOCALE;
  const tags = requested
    .split(",")
    .map((part) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.find((p) => p.trim().startsWith("q="));
      return { tag: tag.trim().toLowerCase(), q: q ? Number(q.trim().slice(2)) || 0 : 1 };
    })
    .filter((t) => t.tag && t.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of tags) {
    const exact = LOCALES.find((l) => l.toLowerCase() === tag);
    if (exact) return exact;
    if (tag.startsWith("zh")) {
      return /hant|-tw|-hk|-mo/.test(tag) ? "zh-TW" : "zh-CN";
    }
    if (tag.startsWith("pt")) return "pt-BR";
    const base = LOCALES.find((l) => l.split("-")[0] === tag.split("-")[0]);
    if (base) return base;
  }
  return DEFAULT_LOCALE;
}
