import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { api, type Schemas, unwrap } from "../../api/client";
import { ErrorNotice } from "../../components/ErrorNotice";
import { formatBytes, formatNumber } from "../../i18n/format";
import { type KbFields, KbFieldset } from "./KbForm";

export default function KbSettingsPage() {
  const { t } = useTranslation();
  const { kbId = "" } = useParams();
  const queries = useQueryClient();
  const kb = useQuery({
    queryKey: ["knowledge-base", kbId],
    queryFn: () => unwrap(api.GET("/v1/knowledge-bases/{id}", { params: { path: { id: kbId } } })),
  });
  const [removed, setRemoved] = useState<Schemas["KnowledgeBaseDeleted"] | null>(null);
  const remove = useMutation({
    mutationFn: () => unwrap(api.DELETE("/v1/knowledge-bases/{id}", { params: { path: { id: kbId } } })),
    onSuccess: (r) => {
      setRemoved(r);
      void queries.invalidateQueries({ queryKey: ["knowledge-bases"] });
    },
  });

  if (removed) {
    return (
      <section role="status" className="notice">
        <h1>{t("kb.deleted_title")}</h1>
        <p>
          {t("kb.deleted_detail", {
            documents: formatNumber(removed.documents),
            points: formatNumber(removed.points),
            bytes: formatBytes(removed.bytes),
          })}
        </p>
        <Link to="/knowledge-bases">{t("kb.back")}</Link>
      </section>
    );
  }
  return (
    <>
      <p>
        <Link to="/knowledge-bases">{t("kb.back")}</Link>
      </p>
      <h1>{t("kb.settings_title", { name: kb.data?.name ?? "" })}</h1>
      <ErrorNotice error={kb.error} />
      {kb.data ? (
        <KbSettingsForm kb={kb.data} />
      ) : kb.error ? null : (
        <p className="muted">{t("common.loading")}</p>
      )}
      <section className="card danger" aria-labelledby="kb-delete">
        <h2 id="kb-delete">{t("kb.delete_heading")}</h2>
        <p>{t("kb.delete_warning")}</p>
        <ErrorNotice error={remove.error} />
        <button
          type="button"
          className="danger"
          disabled={remove.isPending}
          onClick={() =>
            window.confirm(t("kb.delete_confirm", { name: kb.data?.name ?? "" })) && remove.mutate()
          }
        >
          {t("kb.delete_button")}
        </button>
      </section>
    </>
  );
}

/**
 * The settings form, mounted only once the knowledge base has loaded: its state starts from the saved
 * values, so nothing typed before the load can be overwritten, and the defaults are never submitted.
 */
function KbSettingsForm({ kb }: { kb: Schemas["KnowledgeBase"] }) {
  const { t } = useTranslation();
  const queries = useQueryClient();
  const [form, setForm] = useState<KbFields>(() => {
    const { name, description, language, chunk_size, chunk_overlap, prompt_template, embedder } = kb;
    return { name, description, language, chunk_size, chunk_overlap, prompt_template, embedder };
  });
  const save = useMutation({
    mutationFn: (body: KbFields) =>
      unwrap(api.PATCH("/v1/knowledge-bases/{id}", { params: { path: { id: kb.id } }, body })),
    onSuccess: () => queries.invalidateQueries({ queryKey: ["knowledge-base", kb.id] }),
  });
  return (
    <form
      className="card"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(form);
      }}
    >
      <KbFieldset value={form} onChange={setForm} />
      <p className="muted small">{t("kb.chunking_note")}</p>
      <ErrorNotice error={save.error} />
      {save.isSuccess ? (
        <p role="status" className="ok">
          {t("common.saved")}
        </p>
      ) : null}
      <div className="actions">
        <button type="submit" className="primary" disabled={save.isPending}>
          {t("common.save")}
        </button>
        <Link to={`/knowledge-bases/${kb.id}/documents`}>{t("kb.documents")}</Link>
      </div>
    </form>
  );
}
