import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { api, type Schemas, unwrap } from "../../api/client";
import { ErrorNotice } from "../../components/ErrorNotice";
import { KbPicker } from "../../components/KbPicker";
import { formatMicros, formatMs, formatNumber } from "../../i18n/format";
import { type ModelColumn, useAsk } from "./useAsk";

type Template = NonNullable<Schemas["AskRequest"]["template"]>;
const MAX_MODELS = 5;

/** Splits an answer into text and [n] citation markers, each with its offset in the text as identity. */
function withCitations(text: string): { at: number; part: string | number }[] {
  const out: { at: number; part: string | number }[] = [];
  let at = 0;
  for (const [i, piece] of text.split(/\[(\d+)\]/).entries()) {
    out.push({ at, part: i % 2 ? Number(piece) : piece });
    at += i % 2 ? piece.length + 2 : piece.length;
  }
  return out;
}

function Column({
  col,
  known,
  onCite,
}: {
  col: ModelColumn;
  known: Set<number>;
  onCite: (n: number) => void;
}) {
  const { t } = useTranslation();
  return (
    <section className="column card" aria-labelledby={`col-${col.model}`} data-testid="answer-column">
      <h2 id={`col-${col.model}`}>{col.model}</h2>
      <p className="answer" aria-live="polite" aria-busy={col.status !== "done"}>
        {withCitations(col.text).map(({ at, part }) =>
          typeof part === "number" ? (
            known.has(part) ? (
              <button
                key={at}
                type="button"
                className="cite"
                onClick={() => onCite(part)}
                aria-label={t("ask.open_source", { n: part })}
              >
                [{part}]
              </button>
            ) : (
              <span key={at}>[{part}]</span>
            )
          ) : (
            part
          ),
        )}
        {col.status === "waiting" ? <span className="muted">{t("ask.waiting")}</span> : null}
      </p>
      {col.error ? (
        <div className="notice notice-error" role="status">
          <strong>{t(`errors:${col.error.code}`, { defaultValue: col.error.message })}</strong>
          <p className="muted small">
            {col.error.message} (<code>{col.error.code}</code>)
          </p>
        </div>
      ) : null}
      {col.usage ? (
        <dl className="facts small" data-testid="usage">
          <dt>{t("ask.input_tokens")}</dt>
          <dd>{formatNumber(col.usage.input_tokens)}</dd>
          <dt>{t("ask.output_tokens")}</dt>
          <dd>{formatNumber(col.usage.output_tokens)}</dd>
          <dt>{t("ask.cost")}</dt>
          <dd>{formatMicros(col.usage.cost_micros)}</dd>
          <dt>{t("ask.ttft")}</dt>
          <dd>{formatMs(col.usage.ttft_ms)}</dd>
          <dt>{t("ask.latency")}</dt>
          <dd>{formatMs(col.usage.latency_ms)}</dd>
          {col.usage.usage_source === "estimated" ? (
            <>
              <dt>{t("ask.usage_source")}</dt>
              <dd>{t("ask.estimated")}</dd>
            </>
          ) : null}
        </dl>
      ) : null}
    </section>
  );
}

/** Ask one to five models side by side, each streaming into its own column. */
export default function PlaygroundPage() {
  const { t } = useTranslation();
  const id = useId();
  const models = useQuery({ queryKey: ["models"], queryFn: () => unwrap(api.GET("/v1/models")) });
  const [picked, setPicked] = useState<string[]>([]);
  const [kbIds, setKbIds] = useState<string[]>([]);
  const [question, setQuestion] = useState("");
  const [mode, setMode] = useState<"compare" | "fallback">("compare");
  const [template, setTemplate] = useState<Template | "">("");
  const [cited, setCited] = useState<number | null>(null);
  const { state, ask, stop } = useAsk();
  const chosen = picked.length ? picked : models.data ? [models.data.default_model] : [];
  const known = new Set(state.sources.map((s) => s.n));
  const source = state.sources.find((s) => s.n === cited);

  return (
    <>
      <h1>{t("ask.title")}</h1>
      <form
        className="card"
        onSubmit={(e) => {
          e.preventDefault();
          setCited(null);
          void ask(
            {
              question,
              knowledge_base_ids: kbIds,
              models: chosen,
              mode,
              stream: true,
              top_k: 8,
              ...(template ? { template } : {}),
            },
            chosen,
          );
        }}
      >
        <div className="field wide">
          <label htmlFor={`${id}-q`}>{t("ask.question")}</label>
          <textarea
            id={`${id}-q`}
            required
            rows={2}
            maxLength={4000}
            value={question}
            onChange={(e) => setQuestion(e.target.value)}
          />
        </div>
        <div className="grid-form">
          <KbPicker value={kbIds} onChange={setKbIds} />
          <fieldset className="field">
            <legend>{t("ask.models", { max: MAX_MODELS })}</legend>
            <ErrorNotice error={models.error} />
            {models.data?.data.map((m) => (
              <label key={m.id} className="check">
                <input
                  type="checkbox"
                  checked={chosen.includes(m.id)}
                  disabled={!chosen.includes(m.id) && chosen.length >= MAX_MODELS}
                  onChange={(e) =>
                    setPicked(e.target.checked ? [...chosen, m.id] : chosen.filter((x) => x !== m.id))
                  }
                />
                {m.id} <span className="muted small">({m.provider})</span>
              </label>
            ))}
          </fieldset>
          <div className="field">
            <label htmlFor={`${id}-mode`}>{t("ask.mode")}</label>
            <select
              id={`${id}-mode`}
              value={mode}
              onChange={(e) => setMode(e.target.value as "compare" | "fallback")}
            >
              <option value="compare">{t("ask.mode_compare")}</option>
              <option value="fallback">{t("ask.mode_fallback")}</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-tpl`}>{t("kb.prompt_template")}</label>
            <select
              id={`${id}-tpl`}
              value={template}
              onChange={(e) => setTemplate(e.target.value as Template | "")}
            >
              <option value="">{t("ask.template_default")}</option>
              {(["qa", "strict", "support-bot"] as const).map((tpl) => (
                <option key={tpl} value={tpl}>
                  {t(`templates.${tpl}`)}
                </option>
              ))}
            </select>
          </div>
        </div>
        <p className="muted small">{t("ask.follow_up_soon")}</p>
        <div className="actions">
          <button
            type="submit"
            className="primary"
            disabled={state.running || !question.trim() || !kbIds.length || !chosen.length}
          >
            {t("ask.ask")}
          </button>
          {state.running ? (
            <button type="button" onClick={stop}>
              {t("ask.stop")}
            </button>
          ) : null}
        </div>
      </form>
      <ErrorNotice error={state.error} />
      {state.columns.length ? (
        <div
          className="columns"
          style={{ gridTemplateColumns: `repeat(${Math.min(state.columns.length, 3)}, minmax(0, 1fr))` }}
        >
          {state.columns.map((c) => (
            <Column key={c.model} col={c} known={known} onCite={setCited} />
          ))}
        </div>
      ) : null}
      {state.done ? (
        <p className="muted" data-testid="ask-total">
          {t("ask.total", {
            cost: formatMicros(state.done.cost_micros),
            input: formatNumber(state.done.input_tokens),
            output: formatNumber(state.done.output_tokens),
            ms: formatMs(state.done.latency_ms),
          })}
        </p>
      ) : null}
      {source ? (
        <aside className="card source" aria-labelledby="source-title" data-testid="cited-source">
          <h2 id="source-title">
            {t("ask.source_n", { n: source.n })}: {source.title}
          </h2>
          <p className="muted small">
            {source.page_start !== null
              ? t("common.pages_range", {
                  from: formatNumber(source.page_start),
                  to: formatNumber(source.page_end ?? source.page_start),
                })
              : t("common.no_pages")}
            {source.heading_path.length ? ` · ${source.heading_path.join(" › ")}` : ""}
          </p>
          <p className="chunk-text">{source.text}</p>
          <div className="actions">
            <Link
              to={`/documents/${source.document_id}${source.page_start ? `?page=${source.page_start}` : ""}`}
            >
              {t("ask.open_page")}
            </Link>
            <button type="button" onClick={() => setCited(null)}>
              {t("common.close")}
            </button>
          </div>
        </aside>
      ) : null}
    </>
  );
}
