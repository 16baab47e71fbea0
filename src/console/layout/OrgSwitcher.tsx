import { useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiProblem, api, unwrap } from "../api/client";
import {
  accountSession,
  activateAccount,
  activeIndex,
  sessions,
  setAccount,
  switchTo,
} from "../auth/session";
import { ErrorNotice } from "../components/ErrorNotice";

/**
 * The organization switcher: every organization the signed-in person belongs to (from their session)
 * and every API-key entry. Choosing another of the person's organizations asks the API to switch
 * the session, so every page then queries that tenant, and a reload keeps it (the server holds it).
 */
export function OrgSwitcher({ onAdd }: { onAdd: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const queries = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const list = sessions();
  const account = accountSession();
  const active = list[activeIndex()];
  const value =
    active?.kind === "account" ? `org:${account?.organization?.id ?? ""}` : `key:${activeIndex()}`;

  async function choose(next: string) {
    setError(null);
    if (next.startsWith("key:")) {
      switchTo(Number(next.slice(4)));
      queries.clear();
      return;
    }
    const orgId = next.slice(4);
    try {
      // Activate the account first: the switch is a POST that needs its CSRF token.
      activateAccount();
      if (orgId !== account?.organization?.id) {
        setAccount(
          await unwrap(api.POST("/v1/auth/session/organization", { body: { organization_id: orgId } })),
        );
      }
      queries.clear();
    } catch (err) {
      setError(err instanceof ApiProblem ? err : new ApiProblem(0, "network_error", String(err)));
    }
  }

  return (
    <span className="inline-field">
      <label htmlFor={id}>{t("auth.organization")}</label>
      <select id={id} value={value} onChange={(e) => void choose(e.target.value)}>
        {list.map((s, i) =>
          s.kind === "account" ? (
            (account?.organizations ?? []).flatMap((o) =>
              o
                ? [
                    <option key={o.id} value={`org:${o.id}`}>
                      {t("auth.org_option", { name: o.name, role: t(`members.role_${o.role}`) })}
                    </option>,
                  ]
                : [],
            )
          ) : (
            <option key={s.key} value={`key:${i}`}>
              {t("auth.key_option", { name: s.label })}
            </option>
          ),
        )}
      </select>
      <button type="button" onClick={onAdd}>
        {t("auth.add_organization")}
      </button>
      <ErrorNotice error={error} />
    </span>
  );
}
