import { useQuery } from "@tanstack/react-query";
import { useId, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, problemFrom, rawFetch, type Schemas, unwrap } from "../../api/client";
import { Chart } from "../../components/Chart";
import { ErrorNotice } from "../../components/ErrorNotice";
import { saveFile } from "../../components/save-file";
import { formatDay, formatMicros, formatNumber } from "../../i18n/format";

type Group = "day" | "model" | "key";
type Report = Schemas["UsageReport"];

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** Every day of the range, so days without calls show as zero instead of being skipped. */
function fillDays(report: Report): Report["data"] {
  const byDay = new Map(report.data.map((r) => [r.group.slice(0, 10), r]));
  const out: Report["data"] = [];
  for (
    let d = new Date(`${report.from.slice(0, 10)}T00:00:00Z`);
    isoDay(d) <= report.to.slice(0, 10);
    d.setUTCDate(d.getUTCDate() + 1)
  ) {
    const key = isoDay(d);
    out.push(
      byDay.get(key) ?? {
        group: key,
        requests: 0,
        input_tokens: 0,
        output_tokens: 0,
        cached_input_tokens: 0,
        embedding_tokens: 0,
        cost_micros: 0,
        cost_usd: "0.000000",
        charge_micros: 0,
        charge_usd: "0.000000",
      },
    );
    if (out.length > 400) break;
  }
  return out;
}

function UsageTable({ report, group }: { report: Report; group: Group }) {
  const { t } = useTranslation();
  return (
    <table data-testid={`usage-table-${group}`}>
      <caption>{t(`usage.by_${group}`)}</caption>
      <thead>
        <tr>
          <th scope="col">{t(`usage.group_${group}`)}</th>
          <th scope="col">{t("usage.requests")}</th>
          <th scope="col">{t("ask.input_tokens")}</th>
          <th scope="col">{t("ask.output_tokens")}</th>
          <th scope="col">{t("usage.embedding_tokens")}</th>
          <th scope="col">{t("ask.cost")}</th>
        </tr>
      </thead>
      <tbody>
        {report.data.map((r) => (
          <tr key={r.group}>
            <th scope="row">{group === "day" ? formatDay(r.group) : r.group}</th>
            <td>{formatNumber(r.requests)}</td>
            <td>{formatNumber(r.input_tokens)}</td>
            <td>{formatNumber(r.output_tokens)}</td>
            <td>{formatNumber(r.embedding_tokens)}</td>
            <td data-micros={r.cost_micros}>{formatMicros(r.cost_micros)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">{t("usage.total")}</th>
          <td>{formatNumber(report.totals.requests)}</td>
          <td>{formatNumber(report.totals.input_tokens)}</td>
          <td>{formatNumber(report.totals.output_tokens)}</td>
          <td>{formatNumber(report.totals.embedding_tokens)}</td>
          <td data-testid={`usage-total-${group}`} data-micros={report.totals.cost_micros}>
            {formatMicros(report.totals.cost_micros)}
          </td>
        </tr>
      </tfoot>
    </table>
  );
}

/** One bar of cost per model or key. */
function costBars(r: Report | undefined, label: string) {
  return {
    labels: r?.data.map((x) => x.group) ?? [],
    series: [
      {
        label,
        values: r?.data.map((x) => x.cost_micros / 1e6) ?? [],
        color: "#7c3aed",
        format: (v: number) => formatMicros(v * 1e6),
      },
    ],
  };
}

/** Cost and tokens by day, model and key: exactly GET /v1/usage for the chosen range. */
export default function UsagePage() {
  const { t } = useTranslation();
  const id = useId();
  const today = new Date();
  const [from, setFrom] = useState(isoDay(new Date(today.getTime() - 29 * 86_400_000)));
  const [to, setTo] = useState(isoDay(today));
  const [exportError, setExportError] = useState<unknown>(null);
  const report = (group: Group) => ({
    queryKey: ["usage", group, from, to],
    // format=json (the default) answers a UsageReport; the CSV variant of the union is for exports.
    queryFn: () =>
      unwrap(api.GET("/v1/usage", { params: { query: { group_by: group, from, to, format: "json" } } })).then(
        (r) => r as Report,
      ),
  });
  const byDay = useQuery(report("day"));
  const byModel = useQuery(report("model"));
  const byKey = useQuery(report("key"));
  const days = useMemo(() => (byDay.data ? fillDays(byDay.data) : []), [byDay.data]);
  const daySeries = useMemo(
    () => [
      {
        label: t("ask.cost"),
        values: days.map((d) => d.cost_micros / 1e6),
        color: "#2563eb",
        format: (v: number) => formatMicros(v * 1e6),
      },
      {
        label: t("usage.tokens"),
        values: days.map((d) => d.input_tokens + d.output_tokens),
        color: "#d97706",
        axis: 1 as const,
        format: (v: number) => formatNumber(v),
      },
    ],
    [days, t],
  );
  const dayLabels = useMemo(() => days.map((d) => formatDay(d.group)), [days]);
  const modelBars = useMemo(() => costBars(byModel.data, t("ask.cost")), [byModel.data, t]);
  const keyBars = useMemo(() => costBars(byKey.data, t("ask.cost")), [byKey.data, t]);

  async function exportCsv(group: Group) {
    setExportError(null);
    const res = await rawFetch(
      `/v1/usage?${new URLSearchParams({ group_by: group, from, to, format: "csv" })}`,
    );
    if (!res.ok) return setExportError(await problemFrom(res));
    saveFile(await res.blob(), `usage-${group}-${from}-${to}.csv`);
  }

  return (
    <>
      <h1>{t("usage.title")}</h1>
      <form className="toolbar card" onSubmit={(e) => e.preventDefault()}>
        <span className="inline-field">
          <label htmlFor={`${id}-from`}>{t("usage.from")}</label>
          <input
            id={`${id}-from`}
            type="date"
            value={from}
            max={to}
            onChange={(e) => e.target.value && setFrom(e.target.value)}
          />
        </span>
        <span className="inline-field">
          <label htmlFor={`${id}-to`}>{t("usage.to")}</label>
          <input
            id={`${id}-to`}
            type="date"
            value={to}
            min={from}
            onChange={(e) => e.target.value && setTo(e.target.value)}
          />
        </span>
        {(["day", "model", "key"] as const).map((g) => (
          <button key={g} type="button" onClick={() => void exportCsv(g)}>
            {t("usage.export", { group: t(`usage.group_${g}`) })}
          </button>
        ))}
      </form>
      <ErrorNotice error={byDay.error ?? byModel.error ?? byKey.error ?? exportError} />
      {byDay.data ? (
        <section aria-labelledby="usage-day">
          <h2 id="usage-day">{t("usage.by_day")}</h2>
          <p className="big" data-testid="usage-total">
            {t("usage.total_cost", { cost: formatMicros(byDay.data.totals.cost_micros) })} ·{" "}
            {t("usage.total_tokens", {
              n: formatNumber(byDay.data.totals.input_tokens + byDay.data.totals.output_tokens),
            })}
          </p>
          <Chart
            xLabel={t("usage.group_day")}
            labels={dayLabels}
            series={daySeries}
            summary={t("usage.chart_day_summary")}
          />
          <UsageTable report={{ ...byDay.data, data: byDay.data.data }} group="day" />
        </section>
      ) : null}
      <div className="two">
        {byModel.data ? (
          <section aria-labelledby="usage-model">
            <h2 id="usage-model">{t("usage.by_model")}</h2>
            {byModel.data.data.length ? (
              <Chart
                bars
                height={200}
                xLabel={t("usage.group_model")}
                labels={modelBars.labels}
                series={modelBars.series}
                summary={t("usage.chart_model_summary")}
              />
            ) : null}
            <UsageTable report={byModel.data} group="model" />
          </section>
        ) : null}
        {byKey.data ? (
          <section aria-labelledby="usage-key">
            <h2 id="usage-key">{t("usage.by_key")}</h2>
            {byKey.data.data.length ? (
              <Chart
                bars
                height={200}
                xLabel={t("usage.group_key")}
                labels={keyBars.labels}
                series={keyBars.series}
                summary={t("usage.chart_key_summary")}
              />
            ) : null}
            <UsageTable report={byKey.data} group="key" />
          </section>
        ) : null}
      </div>
    </>
  );
}
