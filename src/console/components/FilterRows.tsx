import { useId } from "react";
import { useTranslation } from "react-i18next";

export interface FilterRow {
  /** Stable identity for React while rows are added and removed. */
  id: number;
  key: string;
  value: string;
}

let nextRow = 0;

/** Metadata filters as key = value rows; numbers and booleans are sent as such. */
export function toFilter(rows: FilterRow[]) {
  const must = rows
    .filter((r) => r.key.trim())
    .map((r) => {
      const v = r.value.trim();
      const value: string | number | boolean =
        v === "true" ? true : v === "false" ? false : v !== "" && Number.isFinite(Number(v)) ? Number(v) : v;
      return { key: r.key.trim(), match: { value } };
    });
  return must.length ? { must } : undefined;
}

export function FilterRows({ rows, onChange }: { rows: FilterRow[]; onChange: (rows: FilterRow[]) => void }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <fieldset className="filters">
      <legend>{t("search.filters")}</legend>
      {rows.map((r, i) => (
        <div className="filter-row" key={r.id}>
          <label htmlFor={`${id}-k${i}`} className="sr-only">
            {t("search.filter_key")}
          </label>
          <input
            id={`${id}-k${i}`}
            placeholder={t("search.filter_key")}
            value={r.key}
            onChange={(e) => onChange(rows.map((x, j) => (j === i ? { ...x, key: e.target.value } : x)))}
          />
          <span aria-hidden="true">=</span>
          <label htmlFor={`${id}-v${i}`} className="sr-only">
            {t("search.filter_value")}
          </label>
          <input
            id={`${id}-v${i}`}
            placeholder={t("search.filter_value")}
            value={r.value}
            onChange={(e) => onChange(rows.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))}
          />
          <button type="button" onClick={() => onChange(rows.filter((_, j) => j !== i))}>
            {t("common.remove")}
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...rows, { id: ++nextRow, key: "", value: "" }])}>
        {t("search.add_filter")}
      </button>
    </fieldset>
  );
}
