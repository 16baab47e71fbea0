import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, type Schemas, unwrap } from "../../api/client";
import { ErrorNotice } from "../../components/ErrorNotice";
import { formatPercent } from "../../i18n/format";
import { GoldenResult } from "./GoldenResult";
import { localized } from "./localized";

function Preview({ id }: { id: string }) {
  const { t } = useTranslation();
  const detail = useQuery({
    queryKey: ["templates", id],
    queryFn: () => unwrap(api.GET("/v1/templates/{id}", { params: { path: { id } } })),
  });
  if (detail.error) return <ErrorNotice error={detail.error} />;
  if (!detail.data) return <p className="muted">{t("common.loading")}</p>;
  const d = detail.data;
  return (
    <div data-testid="template-preview">
      <p className="small">
        {t("gallery.kb_settings", {
          size: d.knowledge_base.chunk_size,
          overlap: d.knowledge_base.chunk_overlap,
          template: t(`templates.${d.knowledge_base.prompt_template}`),
        })}
      </p>
      <h4>{t("gallery.starter_questions")}</h4>
      <ul>
        {d.starter_questions.map((q) => (
          <li key={q}>{q}</li>
        ))}
      </ul>
      <h4>{t("gallery.sample_documents")}</h4>
      <ul>
        {d.sample_documents.map((doc) => (
          <li key={doc.filename}>
            {doc.title} <span className="muted small">{t("gallery.licence", { licence: doc.licence })}</span>
          </li>
        ))}
      </ul>
      <p className="muted small">{d.embed.greeting}</p>
    </div>
  );
}

/** One template: what it is, a preview of what it creates, and Apply with its golden result. */
export function TemplateCard({ template }: { template: Schemas["TemplateSummary"] }) {
  const { t } = useTranslation();
  const id = useId();
  const queries = useQueryClient();
  const [previewing, setPreviewing] = useState(false);
  const [name, setName] = useState("");
  const [origin, setOrigin] = useState("");
  const name0 = localized(template.name);
  const apply = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/v1/templates/{id}/apply", {
          params: { path: { id: template.id } },
          body: {
            ...(name.trim() ? { name: name.trim() } : {}),
            ...(origin.trim() ? { allowed_origins: [origin.trim()] } : {}),
          },
        }),
      ),
    onSuccess: () => {
      void queries.invalidateQueries({ queryKey: ["knowledge-bases"] });
    },
  });
  return (
    <article className="card" aria-labelledby={`${id}-name`} data-template={template.id}>
      <h3 id={`${id}-name`}>{name0}</h3>
      <p>{localized(template.description)}</p>
      <p className="muted small">
        {t(`gallery.language_${template.language}`)} · {t("gallery.documents", { count: template.documents })}{" "}
        ·{" "}
        {t("gallery.golden_count", {
          count: template.golden_questions,
          recall: formatPercent(template.stated_recall),
        })}
      </p>
      <div className="row-actions">
        <button
          type="button"
          aria-expanded={previewing}
          aria-describedby={`${id}-name`}
          onClick={() => setPreviewing(!previewing)}
        >
          {t("gallery.preview")}
        </button>
      </div>
      {previewing ? <Preview id={template.id} /> : null}
      <form
        className="grid-form"
        onSubmit={(e) => {
          e.preventDefault();
          apply.mutate();
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-kb`}>{t("gallery.name_label")}</label>
          <input id={`${id}-kb`} value={name} placeholder={name0} onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-origin`}>{t("gallery.origin_label")}</label>
          <input
            id={`${id}-origin`}
            value={origin}
            placeholder="https://www.example.com"
            onChange={(e) => setOrigin(e.target.value)}
          />
        </div>
        <div className="row-actions">
          <button
            type="submit"
            className="primary"
            disabled={apply.isPending}
            aria-label={t("gallery.apply_named", { name: name0 })}
          >
            {t("gallery.apply")}
          </button>
        </div>
      </form>
      {apply.isPending ? (
        <div role="status" aria-live="polite">
          <progress aria-label={t("gallery.applying")} />
          <p className="muted small">{t("gallery.applying")}</p>
        </div>
      ) : null}
      <ErrorNotice error={apply.error} />
      {apply.data ? <GoldenResult applied={apply.data} /> : null}
    </article>
  );
}
