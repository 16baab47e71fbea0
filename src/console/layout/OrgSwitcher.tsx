import { useQueryClient } from "@tanstack/react-query";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { activeIndex, sessions, switchTo } from "../auth/session";

/**
 * The organization switcher: one entry per signed-in organization (today an API key per tenant; with
 * accounts, the organizations the account belongs to, from /v1/auth/...).
 */
export function OrgSwitcher({ onAdd }: { onAdd: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const queries = useQueryClient();
  const list = sessions();
  return (
    <span className="inline-field">
      <label htmlFor={id}>{t("auth.organization")}</label>
      <select
        id={id}
        value={activeIndex()}
        onChange={(e) => {
          switchTo(Number(e.target.value));
          queries.clear();
        }}
      >
        {list.map((s, i) => (
          <option key={s.key} value={i}>
            {s.label}
          </option>
        ))}
      </select>
      <button type="button" onClick={onAdd}>
        {t("auth.add_organization")}
      </button>
    </span>
  );
}
