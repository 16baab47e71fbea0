import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Role } from "../../../auth/roles";
import { api, unwrap } from "../../api/client";
import { ErrorNotice } from "../../components/ErrorNotice";
import { formatDateTime } from "../../i18n/format";
import { currentLocale } from "../../i18n/index";

/** Invite by email (the invitation e-mail goes out in the console's language) and pending invitations. */
export function Invitations({ orgId, grantable }: { orgId: string; grantable: Role[] }) {
  const { t } = useTranslation();
  const id = useId();
  const queries = useQueryClient();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("developer");
  const path = { orgId };
  const list = useQuery({
    queryKey: ["invitations", orgId],
    queryFn: () => unwrap(api.GET("/v1/orgs/{orgId}/invitations", { params: { path } })),
  });
  const refresh = () => queries.invalidateQueries({ queryKey: ["invitations", orgId] });
  const invite = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/v1/orgs/{orgId}/invitations", {
          params: { path },
          body: { email: email.trim(), role, locale: currentLocale() },
        }),
      ),
    onSuccess: () => {
      setEmail("");
      void refresh();
    },
  });
  const revoke = useMutation({
    mutationFn: (invId: string) =>
      unwrap(api.DELETE("/v1/orgs/{orgId}/invitations/{id}", { params: { path: { orgId, id: invId } } })),
    onSuccess: () => refresh(),
  });

  return (
    <section aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t("members.invitations")}</h2>
      <form
        className="card"
        onSubmit={(e) => {
          e.preventDefault();
          invite.mutate();
        }}
      >
        <div className="grid-form">
          <div className="field">
            <label htmlFor={`${id}-email`}>{t("members.invite_email")}</label>
            <input
              id={`${id}-email`}
              type="email"
              required
              value={email}
              onChange={(e) => setEmail(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-role`}>{t("members.role")}</label>
            <select id={`${id}-role`} value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {grantable.map((r) => (
                <option key={r} value={r}>
                  {t(`members.role_${r}`)}
                </option>
              ))}
            </select>
          </div>
        </div>
        <ErrorNotice error={invite.error} />
        <button type="submit" className="primary" disabled={invite.isPending || !email.trim()}>
          {t("members.invite")}
        </button>
      </form>
      <ErrorNotice error={list.error ?? revoke.error} />
      {list.data?.data.length ? (
        <table>
          <caption className="sr-only">{t("members.invitations")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("members.email")}</th>
              <th scope="col">{t("members.role")}</th>
              <th scope="col">{t("members.expires")}</th>
              <th scope="col">{t("common.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {list.data.data.map((inv) => (
              <tr key={inv.id}>
                <td>{inv.email}</td>
                <td>{t(`members.role_${inv.role}`)}</td>
                <td>{formatDateTime(inv.expires_at)}</td>
                <td>
                  <button
                    type="button"
                    className="danger"
                    aria-label={t("members.revoke_named", { email: inv.email })}
                    onClick={() => revoke.mutate(inv.id)}
                  >
                    {t("members.revoke")}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : list.data ? (
        <p className="muted">{t("members.no_invitations")}</p>
      ) : null}
    </section>
  );
}
