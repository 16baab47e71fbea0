import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { actionsOfRole, ROLES, type Role } from "../../../auth/roles";
import { api, unwrap } from "../../api/client";
import { activeAccount } from "../../auth/session";
import { ErrorNotice } from "../../components/ErrorNotice";
import { formatDateTime } from "../../i18n/format";
import { Invitations } from "./Invitations";

/**
 * Members of the organization the session acts in. What the page offers follows the API's own role
 * table (src/auth/roles.ts): managers change roles and remove people, only owners touch owners,
 * and anyone may leave. A refusal the table did not predict still shows the API's error.
 */
export default function MembersPage() {
  const { t } = useTranslation();
  const account = activeAccount();
  const org = account?.organization;
  if (!account || !org) {
    return (
      <>
        <h1>{t("members.title")}</h1>
        <p className="notice">{t("members.account_only")}</p>
      </>
    );
  }
  return <Members orgId={org.id} myRole={org.role} myId={account.user.id} />;
}

function Members({ orgId, myRole, myId }: { orgId: string; myRole: Role; myId: string }) {
  const { t } = useTranslation();
  const id = useId();
  const queries = useQueryClient();
  const can = actionsOfRole(myRole);
  const manage = can.has("members.manage");
  const owners = can.has("owners.manage");
  const grantable = ROLES.filter((r) => r !== "owner" || owners);
  const [notice, setNotice] = useState<string | null>(null);
  const path = { orgId };

  const members = useQuery({
    queryKey: ["members", orgId],
    queryFn: () => unwrap(api.GET("/v1/orgs/{orgId}/members", { params: { path } })),
  });
  const refresh = () => queries.invalidateQueries({ queryKey: ["members", orgId] });
  const change = useMutation({
    mutationFn: (v: { userId: string; role: Role }) =>
      unwrap(
        api.PATCH("/v1/orgs/{orgId}/members/{userId}", {
          params: { path: { orgId, userId: v.userId } },
          body: { role: v.role },
        }),
      ),
    onSuccess: (_r, v) => {
      setNotice(t("members.role_changed", { role: t(`members.role_${v.role}`) }));
      void refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (userId: string) =>
      unwrap(api.DELETE("/v1/orgs/{orgId}/members/{userId}", { params: { path: { orgId, userId } } })),
    onSuccess: (r, userId) => {
      // Leaving ends this organization for the session: a reload re-reads where it now acts.
      if (userId === myId) window.location.assign("/");
      else {
        setNotice(t("members.removed", { n: r.keys_revoked }));
        void refresh();
      }
    },
  });

  return (
    <>
      <h1>{t("members.title")}</h1>
      <p className="muted">{t("members.your_role", { role: t(`members.role_${myRole}`) })}</p>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      <ErrorNotice error={members.error ?? change.error ?? remove.error} />
      {members.data ? (
        <table>
          <caption className="sr-only">{t("members.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("members.email")}</th>
              <th scope="col">{t("members.name")}</th>
              <th scope="col">{t("members.role")}</th>
              <th scope="col">{t("members.two_factor")}</th>
              <th scope="col">{t("members.joined")}</th>
              <th scope="col">{t("common.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {members.data.data.map((m) => {
              const self = m.user_id === myId;
              // Owners are changed only by owners; nobody changes their own role here.
              const editable = manage && !self && (m.role !== "owner" || owners);
              return (
                <tr key={m.user_id}>
                  <td>{m.email}</td>
                  <td>{m.name}</td>
                  <td>
                    {editable ? (
                      <select
                        id={`${id}-${m.user_id}`}
                        aria-label={t("members.role_of", { email: m.email })}
                        value={m.role}
                        disabled={change.isPending}
                        onChange={(e) => change.mutate({ userId: m.user_id, role: e.target.value as Role })}
                      >
                        {grantable.map((r) => (
                          <option key={r} value={r}>
                            {t(`members.role_${r}`)}
                          </option>
                        ))}
                      </select>
                    ) : (
                      t(`members.role_${m.role}`)
                    )}
                  </td>
                  <td>{m.two_factor ? t("members.two_factor_on") : t("members.two_factor_off")}</td>
                  <td>{formatDateTime(m.joined_at)}</td>
                  <td>
                    {editable || self ? (
                      <button
                        type="button"
                        className="danger"
                        aria-label={self ? t("members.leave") : t("members.remove_named", { email: m.email })}
                        onClick={() =>
                          window.confirm(
                            self
                              ? t("members.leave_confirm")
                              : t("members.remove_confirm", { email: m.email }),
                          ) && remove.mutate(m.user_id)
                        }
                      >
                        {self ? t("members.leave") : t("members.remove")}
                      </button>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      {manage ? <Invitations orgId={orgId} grantable={grantable} /> : null}
    </>
  );
}
