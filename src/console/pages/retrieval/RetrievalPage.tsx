import { useMutation } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { api, type Schemas, unwrap } from "../../api/client";
import { ErrorNotice } from "../../components/ErrorNotice";
import { type FilterRow, FilterRows, toFilter } from "../../components/FilterRows";
import { KbPicker } from "../../components/KbPicker";
import { highlight, matchedTerms, queryTerms } from "../../components/terms";
import { formatNumber } from "../../i18n/format";

type Mode = Schemas["SearchRequest"]["mode"];

/** Retrieval test: what search returns for a query, ranked, with scores, pages and matched terms. */
export default function RetrievalPage() {
  const { t } = useTranslation();
  const id = useId();
  const [kbIds, setKbIds] = useState<string[]>([]);
  const [query, setQuery] = useState("");
  const [mode, setMode] = useState<Mode>("hybrid");
  const [topK, setTopK] = useState(8);
  const [filters, setFilters] = useState<FilterRow[]>([]);
  const search = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/v1/search", {
          body: {
            query,
            knowledge_base_ids: kbIds,
            mode,
            top_k: topK,
            with_text: true,
            ...(toFilter(filters) ? { filter: toFilter(filters) } : {}),
          },
        }),
      ).then((r) => ({ ...r, terms: queryTerms(query) })),
  });

  return (
    <>
      <h1>{t("search.title")}</h1>
      <form
        className="card"
        onSubmit={(e) => {
          e.preventDefault();
          search.mutate();
        }}
      >
        <div className="field wide">
          <label htmlFor={`${id}-q`}>{t("search.query")}</label>
          <input
            id={`${id}-q`}
            required
            maxLength={4000}
            value={query}
            onChange={(e) => setQuery(e.target.value)}
          />
        </div>
        <div className="grid-form">
          <KbPicker value={kbIds} onChange={setKbIds} />
          <div className="field">
            <label htmlFor={`${id}-mode`}>{t("search.mode")}</label>
            <select id={`${id}-mode`} value={mode} onChange={(e) => setMode(e.target.value as Mode)}>
              {(["hybrid", "dense", "sparse"] as const).map((m) => (
                <option key={m} value={m}>
                  {t(`search.mode_${m}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-k`}>{t("search.top_k")}</label>
            <input
              id={`${id}-k`}
              type="number"
              min={1}
              max={100}
              value={topK}
              onChange={(e) => setTopK(Number(e.target.value))}
            />
          </div>
        </div>
        <FilterRows rows={filters} onChange={setFilters} />
        <button
          type="submit"
          className="primary"
          disabled={search.isPending || !query.trim() || !kbIds.length}
        >
          {t("search.run")}
        </button>
      </form>
      <ErrorNotice error={search.error} />
      {search.data ? (
        search.data.data.length ? (
          <ol className="results" aria-label={t("search.results")}>
            {search.data.data.map((c, i) => {
              const terms = matchedTerms(search.data.terms, c.text ?? "");
              return (
                <li key={c.id} data-testid="search-result">
                  <div className="result-head">
                    <span className="rank">#{formatNumber(i + 1)}</span>
                    <Link to={`/documents/${c.document_id}${c.page_start ? `?page=${c.page_start}` : ""}`}>
                      {c.title}
                    </Link>
                    <span className="muted small">
                      {t("search.score")}: {formatNumber(c.score, 4)}
                    </span>
                    <span className="muted small">
                      {c.page_start !== null
                        ? t("common.pages_range", {
                            from: formatNumber(c.page_start),
                            to: formatNumber(c.page_end ?? c.page_start),
                          })
                        : t("common.no_pages")}
                    </span>
                  </div>
                  {c.heading_path.length ? (
                    <div className="muted small">{c.heading_path.join(" › ")}</div>
                  ) : null}
                  <p className="chunk-text">
                    {highlight(c.text ?? "", terms).map((p) =>
                      p.hit ? <mark key={p.at}>{p.text}</mark> : <span key={p.at}>{p.text}</span>,
                    )}
                  </p>
                  <div className="small">
                    {t("search.matched_terms")}: {terms.length ? terms.join(", ") : t("search.no_terms")}
                  </div>
                </li>
              );
            })}
          </ol>
        ) : (
          <p className="empty">{t("search.no_results")}</p>
        )
      ) : null}
    </>
  );
}
