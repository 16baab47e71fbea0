import i18next from "i18next";
import { initReactI18next } from "react-i18next";
import { DEFAULT_LOCALE, LOCALES, type Locale, matchLocale, RTL_LOCALES } from "../../i18n/locales";

/**
 * The console's strings come from the one catalog (src/i18n/locales/<locale>/console.json and
 * errors.json). Each locale is its own chunk, fetched when chosen, so the first page carries one language.
 */
const catalogs = import.meta.glob<Record<string, unknown>>("../../i18n/locales/*/{console,errors}.json", {
  import: "default",
});

const PICKED = "aihub.console.locale";

async function load(locale: Locale, ns: "console" | "errors") {
  const loader = catalogs[`../../i18n/locales/${locale}/${ns}.json`];
  if (!loader) throw new Error(`no ${ns} catalog for ${locale}`);
  return loader();
}

function applyDocumentLanguage(locale: Locale) {
  document.documentElement.lang = locale;
  document.documentElement.dir = RTL_LOCALES.has(locale) ? "rtl" : "ltr";
}

/** The locale from ?lang=, else the user's pick, else the browser's languages. */
export function initialLocale(): Locale {
  const fromUrl = new URLSearchParams(window.location.search).get("lang");
  const picked = fromUrl ?? localStorage.getItem(PICKED);
  if (picked && (LOCALES as readonly string[]).includes(picked)) return picked as Locale;
  return matchLocale(navigator.languages.join(","));
}

export async function initI18n(locale: Locale) {
  const [consoleStrings, errors] = await Promise.all([load(locale, "console"), load(locale, "errors")]);
  await i18next.use(initReactI18next).init({
    lng: locale,
    fallbackLng: false,
    ns: ["console", "errors"],
    defaultNS: "console",
    resources: { [locale]: { console: consoleStrings, errors } },
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  applyDocumentLanguage(locale);
}

export async function changeLocale(locale: Locale) {
  if (!i18next.hasResourceBundle(locale, "console")) {
    const [c, e] = await Promise.all([load(locale, "console"), load(locale, "errors")]);
    i18next.addResourceBundle(locale, "console", c);
    i18next.addResourceBundle(locale, "errors", e);
  }
  localStorage.setItem(PICKED, locale);
  await i18next.changeLanguage(locale);
  applyDocumentLanguage(locale);
}

export const currentLocale = (): Locale => (i18next.language as Locale) ?? DEFAULT_LOCALE;
