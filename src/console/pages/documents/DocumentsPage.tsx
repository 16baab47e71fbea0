import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { api, type Schemas, unwrap } from "../../api/client";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Pager, useCursorPages } from "../../components/Pager";
import { formatBytes, formatDateTime, formatNumber } from "../../i18n/format";
import { retrySource } from "./content";
import { type Doc, stageOf } from "./progress";
import { FailureNotice, StageLabel } from "./StatusParts";
import { UploadZone } from "./UploadZone";
import { useUploads } from "./useUploads";

const STATUSES = ["queued", "processing", "ready", "failed"] as const;
type Status = (typeof STATUSES)[number];
export const DOCUMENTS_PAGE_SIZE = 50;

export default function DocumentsPage() {
  const { t } = useTranslation();
  const { kbId = "" } = useParams();
  const filterId = useId();
  const queries = useQueryClient();
  const uploads = useUploads(kbId);
  const [status, setStatus] = useState<Status | "">("");
  const pages = useCursorPages();
  const [removed, setRemoved] = useState<{ doc: Doc; result: Schemas["DocumentDeleted"] } | null>(null);
  const [retryNote, setRetryNote] = useState<string | null>(null);

  const kb = useQuery({
    queryKey: ["knowledge-base", kbId],
    queryFn: () => unwrap(api.GET("/v1/knowledge-bases/{id}", { params: { path: { id: kbId } } })),
  });
  const docs = useQuery({
    queryKey: ["documents", kbId, status, pages.cursor],
    queryFn: () =>
      unwrap(
        api.GET("/v1/knowledge-bases/{id}/documents", {
          params: {
            path: { id: kbId },
            query: { limit: DOCUMENTS_PAGE_SIZE, cursor: pages.cursor, ...(status ? { status } : {}) },
          },
        }),
      ),
    placeholderData: keepPreviousData,
    // Documents in flight change on their own; refresh the page while any is.
    refetchInterval: (q) =>
      q.state.data?.data.some((d) => d.status === "queued" || d.status === "processing") ? 2_000 : false,
  });
  const remove = useMutation({
    mutationFn: (doc: Doc) =>
      unwrap(api.DELETE("/v1/documents/{id}", { params: { path: { id: doc.id } } })).then((result) => ({
        doc,
        result,
      })),
    onSuccess: (r) => {
      setRemoved(r);
      void queries.invalidateQueries({ queryKey: ["documents", kbId] });
    },
  });

  async function retry(doc: Doc) {
    setRetryNote(null);
    const source = await retrySource(doc);
    if (source) uploads.add([{ file: source, name: doc.filename }]);
    else setRetryNote(t("docs.retry_pick_again", { name: doc.filename }));
  }

  return (
    <>
      <p>
        <Link to="/knowledge-bases">{t("kb.back")}</Link>
      </p>
      <h1>{t("docs.title", { name: kb.data?.name ?? "" })}</h1>
      <UploadZone uploads={uploads} />

      {removed ? (
        <div role="status" className="notice">
          {t("docs.deleted", {
            name: removed.doc.filename,
            points: formatNumber(removed.result.points),
            bytes: formatBytes(removed.result.bytes),
          })}
        </div>
      ) : null}
      {retryNote ? (
        <div role="status" className="notice">
          {retryNote}
        </div>
      ) : null}

      <section aria-labelledby="doc-list">
        <div className="toolbar">
          <h2 id="doc-list">{t("docs.list_title")}</h2>
          <span className="inline-field">
            <label htmlFor={filterId}>{t("docs.filter_status")}</label>
            <select
              id={filterId}
              value={status}
              onChange={(e) => {
                setStatus(e.target.value as Status | "");
                pages.reset();
              }}
            >
              <option value="">{t("docs.all_statuses")}</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`docs.status.${s}`)}
                </option>
              ))}
            </select>
          </span>
        </div>
        <ErrorNotice error={docs.error ?? remove.error} />
        {docs.data ? (
          docs.data.data.length ? (
            <table data-testid="documents-table">
              <caption className="sr-only">{t("docs.list_title")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("docs.name")}</th>
                  <th scope="col">{t("docs.status_col")}</th>
                  <th scope="col">{t("docs.pages")}</th>
                  <th scope="col">{t("docs.chunks")}</th>
                  <th scope="col">{t("docs.size")}</th>
                  <th scope="col">{t("common.updated")}</th>
                  <th scope="col">{t("common.actions")}</th>
                </tr>
              </thead>
              <tbody>
                {docs.data.data.map((d) => (
                  <tr key={d.id}>
                    <td>
                      <Link to={`/documents/${d.id}`}>{d.title}</Link>
                      {d.title !== d.filename ? <div className="muted small">{d.filename}</div> : null}
                    </td>
                    <td>
                      <StageLabel stage={stageOf(d)} />
                      {d.status === "processing" ? (
                        <progress
                          max={100}
                          value={d.progress.percent}
                          aria-label={t("docs.progress_of", { name: d.title })}
                        />
                      ) : null}
                      {d.error ? <FailureNotice failure={d.error} /> : null}
                    </td>
                    <td>{formatNumber(d.pages)}</td>
                    <td>{formatNumber(d.chunks)}</td>
                    <td>{formatBytes(d.size_bytes)}</td>
                    <td>{formatDateTime(d.updated_at)}</td>
                    <td className="row-actions">
                      {d.status === "failed" ? (
                        <button type="button" onClick={() => void retry(d)}>
                          {t("docs.retry")}
                        </button>
                      ) : null}
                      <button
                        type="button"
                        className="danger"
                        aria-label={t("docs.delete_named", { name: d.filename })}
                        onClick={() =>
                          window.confirm(t("docs.delete_confirm", { name: d.filename })) && remove.mutate(d)
                        }
                      >
                        {t("common.delete")}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <p className="empty">{status ? t("docs.empty_filtered") : t("docs.empty")}</p>
          )
        ) : (
          <p className="muted" aria-busy="true">
            {t("common.loading")}
          </p>
        )}
        <Pager
          page={pages.page}
          hasNext={Boolean(docs.data?.next_cursor)}
          onPrev={pages.prev}
          onNext={() => pages.next(docs.data?.next_cursor)}
        />
      </section>
    </>
  );
}
