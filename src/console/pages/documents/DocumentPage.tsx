import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams, useSearchParams } from "react-router";
import { api, unwrap } from "../../api/client";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Pager, useCursorPages } from "../../components/Pager";
import { saveFile } from "../../components/save-file";
import { formatBytes, formatDateTime, formatMs, formatNumber } from "../../i18n/format";
import { fetchChunks, fetchOriginal, fetchText, NOT_AVAILABLE } from "./content";
import { stageOf } from "./progress";
import { FailureNotice, StageLabel } from "./StatusParts";

function NotAvailable() {
  const { t } = useTranslation();
  return <p className="muted">{t("doc.not_available")}</p>;
}

/** One document: status and timings, its pages, its chunks and the original file. */
export default function DocumentPage() {
  const { t } = useTranslation();
  const { docId = "" } = useParams();
  const [search] = useSearchParams();
  const wantedPage = Number(search.get("page")) || null;
  const chunkPages = useCursorPages();
  const [downloadError, setDownloadError] = useState<unknown>(null);
  const [downloadMissing, setDownloadMissing] = useState(false);

  const doc = useQuery({
    queryKey: ["document", docId],
    queryFn: () => unwrap(api.GET("/v1/documents/{id}", { params: { path: { id: docId } } })),
    refetchInterval: (q) =>
      q.state.data && q.state.data.status !== "ready" && q.state.data.status !== "failed" ? 1_000 : false,
  });
  const chunks = useQuery({
    queryKey: ["document-chunks", docId, chunkPages.cursor],
    queryFn: () => fetchChunks(docId, chunkPages.cursor),
    enabled: doc.data?.status === "ready",
  });
  const text = useQuery({
    queryKey: ["document-text", docId],
    queryFn: () => fetchText(docId),
    enabled: doc.data?.status === "ready",
  });

  async function download() {
    setDownloadError(null);
    try {
      const blob = await fetchOriginal(docId);
      if (blob === NOT_AVAILABLE) {
        setDownloadMissing(true);
        return;
      }
      saveFile(blob, doc.data?.filename ?? docId);
    } catch (err) {
      setDownloadError(err);
    }
  }

  const d = doc.data;
  return (
    <>
      {d ? (
        <p>
          <Link to={`/knowledge-bases/${d.kb_id}/documents`}>{t("doc.back")}</Link>
        </p>
      ) : null}
      <h1>{d?.title ?? t("doc.title")}</h1>
      <ErrorNotice error={doc.error} />
      {d ? (
        <section className="card">
          <dl className="facts">
            <dt>{t("docs.status_col")}</dt>
            <dd>
              <StageLabel stage={stageOf(d)} />
            </dd>
            <dt>{t("docs.pages")}</dt>
            <dd>{formatNumber(d.pages)}</dd>
            <dt>{t("docs.chunks")}</dt>
            <dd>{formatNumber(d.chunks)}</dd>
            <dt>{t("docs.size")}</dt>
            <dd>{formatBytes(d.size_bytes)}</dd>
            <dt>{t("doc.format")}</dt>
            <dd>{d.format ?? "—"}</dd>
            <dt>{t("doc.processing_time")}</dt>
            <dd>{formatMs(d.timings.total_ms)}</dd>
            <dt>{t("common.created")}</dt>
            <dd>{formatDateTime(d.created_at)}</dd>
          </dl>
          {d.error ? <FailureNotice failure={d.error} /> : null}
          <button type="button" onClick={() => void download()}>
            {t("doc.download")}
          </button>
          {downloadMissing ? <NotAvailable /> : null}
          <ErrorNotice error={downloadError} />
        </section>
      ) : null}

      {d?.status === "ready" ? (
        <>
          <section aria-labelledby="doc-chunks">
            <h2 id="doc-chunks">{t("doc.chunks_title")}</h2>
            <ErrorNotice error={chunks.error} />
            {chunks.data === NOT_AVAILABLE ? (
              <NotAvailable />
            ) : chunks.data ? (
              <>
                <ol className="chunks">
                  {chunks.data.data.map((c) => (
                    <li
                      key={c.id}
                      className={
                        wantedPage &&
                        c.page_start !== null &&
                        c.page_start <= wantedPage &&
                        wantedPage <= (c.page_end ?? c.page_start)
                          ? "highlight"
                          : ""
                      }
                    >
                      <div className="muted small">
                        {c.ordinal !== null ? `#${formatNumber(c.ordinal)} · ` : ""}
                        {c.page_start !== null
                          ? t("common.pages_range", {
                              from: formatNumber(c.page_start),
                              to: formatNumber(c.page_end ?? c.page_start),
                            })
                          : t("common.no_pages")}
                        {c.heading_path.length ? ` · ${c.heading_path.join(" › ")}` : ""}
                      </div>
                      <p className="chunk-text">{c.text}</p>
                    </li>
                  ))}
                </ol>
                <Pager
                  page={chunkPages.page}
                  hasNext={Boolean(chunks.data.next_cursor)}
                  onPrev={chunkPages.prev}
                  onNext={() => chunks.data !== NOT_AVAILABLE && chunkPages.next(chunks.data?.next_cursor)}
                />
              </>
            ) : (
              <p className="muted">{t("common.loading")}</p>
            )}
          </section>
          <section aria-labelledby="doc-pages">
            <h2 id="doc-pages">{t("doc.pages_title")}</h2>
            <ErrorNotice error={text.error} />
            {text.data === NOT_AVAILABLE ? (
              <NotAvailable />
            ) : text.data ? (
              text.data.pages.length ? (
                <ol className="pages">
                  {text.data.pages.slice(0, 50).map((p) => (
                    <li
                      key={p.page}
                      id={`page-${p.page}`}
                      className={wantedPage === p.page ? "highlight" : ""}
                    >
                      <h3>{t("doc.page_n", { n: formatNumber(p.page) })}</h3>
                      <p className="chunk-text">{p.text}</p>
                    </li>
                  ))}
                </ol>
              ) : (
                <pre className="chunk-text">{text.data.text.slice(0, 5_000)}</pre>
              )
            ) : (
              <p className="muted">{t("common.loading")}</p>
            )}
          </section>
        </>
      ) : null}
    </>
  );
}
