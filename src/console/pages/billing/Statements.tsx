import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, problemFrom, rawFetch, unwrap } from "../../api/client";
import { ErrorNotice } from "../../components/ErrorNotice";
import { saveFile } from "../../components/save-file";

const FORMATS = ["json", "csv", "pdf"] as const;

/** The current month (an open preview) and every closed statement, each as JSON, CSV or PDF. */
export function Statements() {
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>(null);
  const list = useQuery({
    queryKey: ["billing", "statements"],
    queryFn: () => unwrap(api.GET("/v1/billing/statements")),
  });
  const current = new Date().toISOString().slice(0, 7);
  const rows = [
    { month: current, number: null as string | null },
    ...(list.data?.data ?? []).filter((s) => s.month !== current),
  ];

  async function download(month: string, format: (typeof FORMATS)[number]) {
    setError(null);
    const res = await rawFetch(`/v1/billing/statements/${month}?format=${format}`);
    if (!res.ok) return setError(await problemFrom(res));
    const name = /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1];
    saveFile(await res.blob(), name ?? `statement-${month}.${format}`);
  }

  return (
    <section aria-labelledby="billing-statements">
      <h2 id="billing-statements">{t("billing.statements")}</h2>
      <ErrorNotice error={list.error ?? error} />
      <table data-testid="billing-statements">
        <thead>
          <tr>
            <th scope="col">{t("billing.month")}</th>
            <th scope="col">{t("billing.number")}</th>
            <th scope="col">{t("billing.download")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((s) => (
            <tr key={s.month}>
              <th scope="row">{s.month}</th>
              <td>{s.number ?? t("billing.open")}</td>
              <td>
                {FORMATS.map((f) => (
                  <button
                    key={f}
                    type="button"
                    aria-label={t("billing.download_as", { month: s.month, format: f.toUpperCase() })}
                    onClick={() => void download(s.month, f)}
                  >
                    {f.toUpperCase()}
                  </button>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
