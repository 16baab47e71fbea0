import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Schemas } from "../../api/client";
import { formatPercent } from "../../i18n/format";

/** What an apply created, and its golden set: recall achieved against recall stated, per question. */
export function GoldenResult({ applied }: { applied: Schemas["AppliedTemplate"] }) {
  const { t } = useTranslation();
  const g = applied.golden;
  return (
    <div className="notice" role="status" data-testid="golden-result">
      <strong>{t("gallery.applied")}</strong>
      <p>
        <Link to={`/knowledge-bases/${applied.knowledge_base_id}/documents`}>{t("gallery.open_kb")}</Link>
        {" · "}
        <Link to="/embeds">{t("gallery.open_embeds")}</Link>
      </p>
      <h3>{t("gallery.golden_title")}</h3>
      <p>
        {t("gallery.golden_recall", {
          recall: formatPercent(g.recall),
          stated: formatPercent(g.stated_recall),
        })}{" "}
        <span className={`badge ${g.meets_stated ? "badge-ready" : "badge-failed"}`}>
          {g.meets_stated ? t("gallery.golden_met") : t("gallery.golden_not_met")}
        </span>
      </p>
      <table>
        <caption className="sr-only">{t("gallery.golden_title")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("gallery.question")}</th>
            <th scope="col">{t("gallery.expected")}</th>
            <th scope="col">{t("gallery.rank")}</th>
            <th scope="col">{t("gallery.answer")}</th>
          </tr>
        </thead>
        <tbody>
          {g.questions.map((q) => (
            <tr key={q.question}>
              <td>{q.question}</td>
              <td>
                <code className="small">{q.expected_document}</code>
              </td>
              <td>{q.rank ?? t("gallery.not_found")}</td>
              <td className="small">{q.answer.length > 240 ? `${q.answer.slice(0, 240)}…` : q.answer}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
