import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, type Schemas, unwrap } from "../../api/client";
import { Chart } from "../../components/Chart";
import { ErrorNotice } from "../../components/ErrorNotice";
import { KbPicker } from "../../components/KbPicker";
import { formatDateTime, formatNumber, formatPercent } from "../../i18n/format";

const METRICS = ["recall_at_1", "recall_at_5", "recall_at_10", "mrr_at_10", "ndcg_at_10"] as const;
const COLORS = ["#2563eb", "#16a34a", "#d97706", "#7c3aed", "#dc2626"];

/** Golden questions per knowledge base, runs of them, and their metrics over time. */
export default function EvalsPage() {
  const { t } = useTranslation();
  const id = useId();
  const queries = useQueryClient();
  const [kbIds, setKbIds] = useState<string[]>([]);
  const kbId = kbIds[0] ?? "";
  const [question, setQuestion] = useState("");
  const [docId, setDocId] = useState("");
  const [pagesText, setPagesText] = useState("");
  const [mode, setMode] = useState<Schemas["RunEval"]["mode"]>("hybrid");
  const path = { params: { path: { id: kbId } } };

  const questions = useQuery({
    queryKey: ["evals", kbId],
    queryFn: () =>
      unwrap(
        api.GET("/v1/knowledge-bases/{id}/evals", { params: { path: { id: kbId }, query: { limit: 100 } } }),
      ),
    enabled: Boolean(kbId),
  });
  const runs = useQuery({
    queryKey: ["eval-runs", kbId],
    queryFn: () =>
      unwrap(
        api.GET("/v1/knowledge-bases/{id}/evals/runs", {
          params: { path: { id: kbId }, query: { limit: 100 } },
        }),
      ),
    enabled: Boolean(kbId),
  });
  const docs = useQuery({
    queryKey: ["documents", kbId, "ready", "eval-picker"],
    queryFn: () =>
      unwrap(
        api.GET("/v1/knowledge-bases/{id}/documents", {
          params: { path: { id: kbId }, query: { limit: 100, status: "ready" } },
        }),
      ),
    enabled: Boolean(kbId),
  });
  const add = useMutation({
    mutationFn: () => {
      const pages = pagesText
        .split(/[,\s]+/)
        .map(Number)
        .filter((n) => Number.isInteger(n) && n > 0);
      return unwrap(
        api.POST("/v1/knowledge-bases/{id}/evals", {
          ...path,
          body: {
            questions: [{ question, expected: [{ document_id: docId, ...(pages.length ? { pages } : {}) }] }],
          },
        }),
      );
    },
    onSuccess: () => {
      setQuestion("");
      setPagesText("");
      void queries.invalidateQueries({ queryKey: ["evals", kbId] });
    },
  });
  const run = useMutation({
    mutationFn: () =>
      unwrap(api.POST("/v1/knowledge-bases/{id}/evals/run", { ...path, body: { mode, top_k: 10 } })),
    onSuccess: () => queries.invalidateQueries({ queryKey: ["eval-runs", kbId] }),
  });
  const remove = useMutation({
    mutationFn: (questionId: string) =>
      unwrap(
        api.DELETE("/v1/knowledge-bases/{id}/evals/{questionId}", {
          params: { path: { id: kbId, questionId } },
        }),
      ),
    onSuccess: () => queries.invalidateQueries({ queryKey: ["evals", kbId] }),
  });
  // Runs come newest first; the chart reads left to right in time.
  const ordered = useMemo(() => [...(runs.data?.data ?? [])].reverse(), [runs.data]);
  const chart = useMemo(
    () => ({
      labels: ordered.map((r) => formatDateTime(r.created_at)),
      series: METRICS.map((m, i) => ({
        label: t(`evals.metric.${m}`),
        values: ordered.map((r) => r.metrics[m]),
        color: COLORS[i]!,
        format: (v: number) => formatPercent(v),
      })),
    }),
    [ordered, t],
  );
  const docTitle = (id: string) => docs.data?.data.find((d) => d.id === id)?.title ?? id;

  return (
    <>
      <h1>{t("evals.title")}</h1>
      <div className="card">
        <KbPicker multiple={false} value={kbIds} onChange={setKbIds} />
      </div>
      {kbId ? (
        <>
          <section className="card" aria-labelledby="evals-q">
            <h2 id="evals-q">{t("evals.questions")}</h2>
            <ErrorNotice error={questions.error ?? remove.error} />
            {questions.data?.data.length ? (
              <ul className="plain">
                {questions.data.data.map((q) => (
                  <li key={q.id}>
                    {q.question}{" "}
                    <span className="muted small">
                      →{" "}
                      {q.expected
                        .map((e) => `${docTitle(e.document_id)}${e.pages ? ` (${e.pages.join(", ")})` : ""}`)
                        .join("; ")}
                    </span>{" "}
                    <button
                      type="button"
                      onClick={() => remove.mutate(q.id)}
                      aria-label={t("evals.remove_named", { q: q.question })}
                    >
                      {t("common.remove")}
                    </button>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="empty">{t("evals.no_questions")}</p>
            )}
            <form
              onSubmit={(e) => {
                e.preventDefault();
                add.mutate();
              }}
            >
              <div className="grid-form">
                <div className="field wide">
                  <label htmlFor={`${id}-q`}>{t("evals.question")}</label>
                  <input
                    id={`${id}-q`}
                    required
                    value={question}
                    onChange={(e) => setQuestion(e.target.value)}
                  />
                </div>
                <div className="field">
                  <label htmlFor={`${id}-doc`}>{t("evals.expected_doc")}</label>
                  <select id={`${id}-doc`} required value={docId} onChange={(e) => setDocId(e.target.value)}>
                    <option value="">{t("common.choose")}</option>
                    {docs.data?.data.map((d) => (
                      <option key={d.id} value={d.id}>
                        {d.title}
                      </option>
                    ))}
                  </select>
                </div>
                <div className="field">
                  <label htmlFor={`${id}-pages`}>{t("evals.expected_pages")}</label>
                  <input
                    id={`${id}-pages`}
                    value={pagesText}
                    onChange={(e) => setPagesText(e.target.value)}
                    placeholder="12, 13"
                  />
                </div>
              </div>
              <ErrorNotice error={add.error} />
              <button type="submit" disabled={add.isPending || !question.trim() || !docId}>
                {t("evals.add")}
              </button>
            </form>
          </section>
          <section className="card" aria-labelledby="evals-runs">
            <h2 id="evals-runs">{t("evals.runs")}</h2>
            <div className="toolbar">
              <span className="inline-field">
                <label htmlFor={`${id}-mode`}>{t("search.mode")}</label>
                <select
                  id={`${id}-mode`}
                  value={mode}
                  onChange={(e) => setMode(e.target.value as Schemas["RunEval"]["mode"])}
                >
                  {(["hybrid", "dense", "sparse"] as const).map((m) => (
                    <option key={m} value={m}>
                      {t(`search.mode_${m}`)}
                    </option>
                  ))}
                </select>
              </span>
              <button
                type="button"
                className="primary"
                disabled={run.isPending || !questions.data?.data.length}
                onClick={() => run.mutate()}
              >
                {t("evals.run")}
              </button>
            </div>
            <ErrorNotice error={run.error ?? runs.error} />
            {ordered.length ? (
              <Chart
                xLabel={t("audit.when")}
                labels={chart.labels}
                series={chart.series}
                summary={t("evals.chart_summary")}
              />
            ) : null}
            {runs.data?.data.length ? (
              <table data-testid="eval-runs">
                <caption className="sr-only">{t("evals.runs")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("audit.when")}</th>
                    <th scope="col">{t("search.mode")}</th>
                    <th scope="col">{t("evals.questions")}</th>
                    {METRICS.map((m) => (
                      <th scope="col" key={m}>
                        {t(`evals.metric.${m}`)}
                      </th>
                    ))}
                    <th scope="col">{t("evals.misses")}</th>
                  </tr>
                </thead>
                <tbody>
                  {runs.data.data.map((r) => (
                    <tr key={r.id}>
                      <td>{formatDateTime(r.created_at)}</td>
                      <td>{t(`search.mode_${r.mode}`, { defaultValue: r.mode })}</td>
                      <td>{formatNumber(r.questions)}</td>
                      {METRICS.map((m) => (
                        <td key={m}>{formatPercent(r.metrics[m])}</td>
                      ))}
                      <td>{formatNumber(r.misses_count)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p className="empty">{t("evals.no_runs")}</p>
            )}
          </section>
        </>
      ) : (
        <p className="muted">{t("evals.pick_kb")}</p>
      )}
    </>
  );
}
