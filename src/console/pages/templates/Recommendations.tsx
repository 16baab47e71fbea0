import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../../api/client";
import { ErrorNotice } from "../../components/ErrorNotice";
import { KbPicker, useKnowledgeBases } from "../../components/KbPicker";
import { formatPercent } from "../../i18n/format";
import { localized } from "./localized";

/** Templates ranked for the documents already uploaded to one of the organization's knowledge bases. */
export function Recommendations() {
  const { t } = useTranslation();
  const kbs = useKnowledgeBases();
  const [kb, setKb] = useState<string[]>([]);
  const recommend = useMutation({
    mutationFn: (kbId: string) =>
      unwrap(api.POST("/v1/templates/recommend", { body: { knowledge_base_id: kbId, limit: 3 } })),
  });
  return (
    <section className="card" aria-labelledby="recommend-title">
      <h2 id="recommend-title">{t("gallery.recommend_title")}</h2>
      <p className="muted">{t("gallery.recommend_intro")}</p>
      {kbs.data?.data.length === 0 ? (
        <p>{t("gallery.recommend_none")}</p>
      ) : (
        <form
          className="grid-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (kb[0]) recommend.mutate(kb[0]);
          }}
        >
          <KbPicker value={kb} onChange={setKb} multiple={false} />
          <div className="row-actions">
            <button type="submit" className="primary" disabled={!kb[0] || recommend.isPending}>
              {t("gallery.recommend_button")}
            </button>
          </div>
        </form>
      )}
      <ErrorNotice error={recommend.error} />
      {recommend.data ? (
        <ol data-testid="recommendations">
          {recommend.data.data.map((r) => (
            <li key={r.id}>
              <strong>{localized(r.template.name)}</strong>{" "}
              <span className="muted small">
                {t("gallery.score", { score: formatPercent(r.score) })}
                {r.matched_terms.length
                  ? ` · ${t("gallery.matched", { terms: r.matched_terms.join(", ") })}`
                  : ""}
              </span>
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}
