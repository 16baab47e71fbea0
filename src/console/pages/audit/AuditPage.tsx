import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../../api/client";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Pager, useCursorPages } from "../../components/Pager";
import { formatDateTime } from "../../i18n/format";

/** Actions the API records today (src/services/*: recordAudit); any other can be typed. */
const ACTIONS = [
  "knowledge_base.create",
  "knowledge_base.update",
  "knowledge_base.delete",
  "document.create",
  "document.version",
  "document.delete",
  "key.create",
  "key.revoke",
  "tenant.create",
];

/** The append-only audit log, newest first, filtered by action, paged by cursor. */
export default function AuditPage() {
  const { t } = useTranslation();
  const id = useId();
  const pages = useCursorPages();
  const [action, setAction] = useState("");
  const log = useQuery({
    queryKey: ["audit", action, pages.cursor],
    queryFn: () =>
      unwrap(
        api.GET("/v1/audit", {
          params: { query: { limit: 50, cursor: pages.cursor, ...(action ? { action } : {}) } },
        }),
      ),
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <h1>{t("audit.title")}</h1>
      <div className="toolbar">
        <span className="inline-field">
          <label htmlFor={id}>{t("audit.action")}</label>
          <input
            id={id}
            list={`${id}-actions`}
            value={action}
            onChange={(e) => {
              setAction(e.target.value.trim());
              pages.reset();
            }}
            placeholder={t("audit.any_action")}
          />
          <datalist id={`${id}-actions`}>
            {ACTIONS.map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
        </span>
      </div>
      <ErrorNotice error={log.error} />
      {log.data ? (
        log.data.data.length ? (
          <table data-testid="audit-table">
            <caption className="sr-only">{t("audit.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("audit.when")}</th>
                <th scope="col">{t("audit.action")}</th>
                <th scope="col">{t("audit.resource")}</th>
                <th scope="col">{t("audit.actor")}</th>
                <th scope="col">{t("audit.detail")}</th>
              </tr>
            </thead>
            <tbody>
              {log.data.data.map((e) => (
                <tr key={e.id}>
                  <td>{formatDateTime(e.created_at)}</td>
                  <td className="mono">{e.action}</td>
                  <td className="mono small">
                    {e.resource_type} {e.resource_id}
                  </td>
                  <td className="mono small">{e.actor_key_id ?? "—"}</td>
                  <td>
                    <details>
                      <summary>{t("audit.show")}</summary>
                      <pre className="small">
                        {JSON.stringify({ ...e.detail, request_id: e.request_id }, null, 2)}
                      </pre>
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="empty">{t("audit.empty")}</p>
        )
      ) : null}
      <Pager
        page={pages.page}
        hasNext={Boolean(log.data?.next_cursor)}
        onPrev={pages.prev}
        onNext={() => pages.next(log.data?.next_cursor)}
      />
    </>
  );
}
