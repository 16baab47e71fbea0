import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { api, unwrap } from "../../api/client";
import { ErrorNotice } from "../../components/ErrorNotice";
import { useKnowledgeBases } from "../../components/KbPicker";
import { formatDateTime, formatNumber } from "../../i18n/format";
import { KB_DEFAULTS, type KbFields, KbFieldset } from "./KbForm";

/** The first page after sign-in: kept in the main chunk so the first paint needs no second fetch. */
export function KnowledgeBasesPage() {
  const { t } = useTranslation();
  const kbs = useKnowledgeBases();
  const queries = useQueryClient();
  const [form, setForm] = useState<KbFields>(KB_DEFAULTS);
  const create = useMutation({
    mutationFn: (body: KbFields) => unwrap(api.POST("/v1/knowledge-bases", { body })),
    onSuccess: () => {
      setForm(KB_DEFAULTS);
      void queries.invalidateQueries({ queryKey: ["knowledge-bases"] });
    },
  });

  return (
    <>
      <h1>{t("kb.title")}</h1>
      <ErrorNotice error={kbs.error} />
      {kbs.data ? (
        kbs.data.data.length ? (
          <table>
            <caption className="sr-only">{t("kb.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("kb.name")}</th>
                <th scope="col">{t("kb.language")}</th>
                <th scope="col">{t("kb.chunking")}</th>
                <th scope="col">{t("kb.prompt_template")}</th>
                <th scope="col">{t("common.created")}</th>
                <th scope="col">{t("common.actions")}</th>
              </tr>
            </thead>
            <tbody>
              {kbs.data.data.map((kb) => (
                <tr key={kb.id}>
                  <td>
                    <Link to={`/knowledge-bases/${kb.id}/documents`}>{kb.name}</Link>
                    {kb.description ? <div className="muted small">{kb.description}</div> : null}
                  </td>
                  <td>{t(`kb.language_${kb.language}`)}</td>
                  <td>
                    {t("kb.chunking_value", {
                      size: formatNumber(kb.chunk_size),
                      overlap: formatNumber(kb.chunk_overlap),
                    })}
                  </td>
                  <td>{t(`templates.${kb.prompt_template}`)}</td>
                  <td>{formatDateTime(kb.created_at)}</td>
                  <td className="row-actions">
                    <Link to={`/knowledge-bases/${kb.id}/documents`}>{t("kb.documents")}</Link>
                    <Link to={`/knowledge-bases/${kb.id}`}>{t("kb.settings")}</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="empty">{t("kb.empty")}</p>
        )
      ) : (
        <p className="muted" aria-busy="true">
          {t("common.loading")}
        </p>
      )}

      <section className="card" aria-labelledby="kb-create">
        <h2 id="kb-create">{t("kb.create")}</h2>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate(form);
          }}
        >
          <KbFieldset value={form} onChange={setForm} />
          <ErrorNotice error={create.error} />
          <button type="submit" className="primary" disabled={create.isPending || !form.name.trim()}>
            {t("kb.create_button")}
          </button>
        </form>
      </section>
    </>
  );
}
