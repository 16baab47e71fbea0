import { useId } from "react";
import { useTranslation } from "react-i18next";
import { LOCALE_NAMES, LOCALES, type Locale } from "../../i18n/locales";
import { changeLocale, currentLocale } from "../i18n/index";

export function LanguagePicker() {
  const { t } = useTranslation();
  const id = useId();
  return (
    <span className="inline-field">
      <label htmlFor={id}>{t("app.language")}</label>
      <select id={id} value={currentLocale()} onChange={(e) => void changeLocale(e.target.value as Locale)}>
        {LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>
            {LOCALE_NAMES[l]}
          </option>
        ))}
      </select>
    </span>
  );
}
