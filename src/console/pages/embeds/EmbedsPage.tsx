import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { actionsOfRole } from "../../../auth/roles";
import { api, unwrap } from "../../api/client";
import { activeAccount } from "../../auth/session";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Pager, useCursorPages } from "../../components/Pager";
import { formatDateTime, formatNumber } from "../../i18n/format";
import { type EmbedBody, EmbedForm } from "./EmbedForm";
import { EmbedSnippet } from "./EmbedSnippet";

type Mode = { kind: "list" } | { kind: "create" } | { kind: "edit"; id: string };

/**
 * Support-bot embeds: list, create (the signing secret is shown once), edit, delete, and the snippet
 * with a live preview. Embeds need the admin action (even to list them): a person without it is told so.
 */
export default function EmbedsPage() {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const pages = useCursorPages();
  const account = activeAccount();
  // An API key's scopes are not known to the console: the API answers for keys.
  const manage = account ? actionsOfRole(account.organization?.role ?? "").has("admin") : true;
  const [mode, setMode] = useState<Mode>({ kind: "list" });
  const [shown, setShown] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);

  const embeds = useQuery({
    queryKey: ["embeds", pages.cursor],
    queryFn: () => unwrap(api.GET("/v1/embeds", { params: { query: { limit: 50, cursor: pages.cursor } } })),
    enabled: manage,
  });
  const refresh = () => queries.invalidateQueries({ queryKey: ["embeds"] });
  const create = useMutation({
    mutationFn: (body: EmbedBody) => unwrap(api.POST("/v1/embeds", { body })),
    onSuccess: (e) => {
      setSecret(e.signing_secret);
      setShown(e.id);
      setMode({ kind: "list" });
      void refresh();
    },
  });
  const update = useMutation({
    mutationFn: (v: { id: string; body: Partial<EmbedBody> }) =>
      unwrap(api.PATCH("/v1/embeds/{id}", { params: { path: { id: v.id } }, body: v.body })),
    onSuccess: (e) => {
      setShown(e.id);
      setMode({ kind: "list" });
      void refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => unwrap(api.DELETE("/v1/embeds/{id}", { params: { path: { id } } })),
    onSuccess: (_r, id) => {
      if (shown === id) setShown(null);
      void refresh();
    },
  });

  const list = embeds.data?.data ?? [];
  const editing = mode.kind === "edit" ? list.find((e) => e.id === mode.id) : undefined;
  const current = list.find((e) => e.id === shown);

  return (
    <>
      <h1>{t("embeds.title")}</h1>
      <p className="muted">{t("embeds.intro")}</p>
      {manage ? null : <p className="notice">{t("embeds.admin_only")}</p>}
      {secret ? (
        <div className="notice" role="status" data-testid="embed-secret">
          <strong>{t("embeds.secret_once")}</strong>
          <p className="mono">{secret}</p>
          <button type="button" onClick={() => setSecret(null)}>
            {t("keys.secret_stored")}
          </button>
        </div>
      ) : null}
      {mode.kind === "create" ? (
        <EmbedForm
          busy={create.isPending}
          error={create.error}
          onSubmit={(body) => create.mutate(body)}
          onCancel={() => setMode({ kind: "list" })}
        />
      ) : null}
      {editing ? (
        <EmbedForm
          key={editing.id}
          embed={editing}
          busy={update.isPending}
          error={update.error}
          onSubmit={(body) => update.mutate({ id: editing.id, body })}
          onCancel={() => setMode({ kind: "list" })}
        />
      ) : null}
      {manage && mode.kind === "list" ? (
        <button type="button" className="primary" onClick={() => setMode({ kind: "create" })}>
          {t("embeds.new")}
        </button>
      ) : null}
      <ErrorNotice error={embeds.error ?? remove.error} />
      {embeds.data && !list.length ? <p className="muted">{t("embeds.empty")}</p> : null}
      {list.length ? (
        <table>
          <caption className="sr-only">{t("embeds.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("embeds.name")}</th>
              <th scope="col">{t("embeds.id")}</th>
              <th scope="col">{t("embeds.origins")}</th>
              <th scope="col">{t("embeds.limits")}</th>
              <th scope="col">{t("common.updated")}</th>
              <th scope="col">{t("common.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((e) => (
              <tr key={e.id}>
                <td>{e.name}</td>
                <td className="mono small">{e.id}</td>
                <td className="small">{e.allowed_origins.join(", ")}</td>
                <td className="small">
                  <div>{t("embeds.kb_count", { n: formatNumber(e.knowledge_base_ids.length) })}</div>
                  {e.signed_visitors_only ? <div>{t("embeds.signed_only_short")}</div> : null}
                  {e.max_messages_per_day !== null ? (
                    <div>{t("embeds.per_day_value", { n: formatNumber(e.max_messages_per_day) })}</div>
                  ) : null}
                </td>
                <td>{formatDateTime(e.updated_at)}</td>
                <td className="actions">
                  <button
                    type="button"
                    aria-label={t("embeds.snippet_named", { name: e.name })}
                    onClick={() => setShown(e.id)}
                  >
                    {t("embeds.snippet")}
                  </button>
                  {manage ? (
                    <>
                      <button
                        type="button"
                        aria-label={t("embeds.edit_named", { name: e.name })}
                        onClick={() => setMode({ kind: "edit", id: e.id })}
                      >
                        {t("embeds.edit")}
                      </button>
                      <button
                        type="button"
                        className="danger"
                        aria-label={t("embeds.delete_named", { name: e.name })}
                        onClick={() =>
                          window.confirm(t("embeds.delete_confirm", { name: e.name })) && remove.mutate(e.id)
                        }
                      >
                        {t("common.delete")}
                      </button>
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <Pager
        page={pages.page}
        hasNext={Boolean(embeds.data?.next_cursor)}
        onPrev={pages.prev}
        onNext={() => pages.next(embeds.data?.next_cursor)}
      />
      {current ? (
        <EmbedSnippet
          embed={current}
          busy={update.isPending}
          onAllowHere={() =>
            update.mutate({
              id: current.id,
              body: { allowed_origins: [...current.allowed_origins, window.location.origin] },
            })
          }
        />
      ) : null}
    </>
  );
}
