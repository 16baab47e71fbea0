import { useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { ErrorNotice } from "../../components/ErrorNotice";
import { FailureNotice, StageLabel } from "./StatusParts";
import type { useUploads } from "./useUploads";

/** Drop many files (or pick them with the keyboard); each gets a progress bar fed by its event stream. */
export function UploadZone({ uploads }: { uploads: ReturnType<typeof useUploads> }) {
  const { t } = useTranslation();
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const addFiles = (list: FileList | null) => {
    if (list?.length) uploads.add([...list].map((f) => ({ file: f, name: f.name })));
  };
  return (
    <section className="card" aria-labelledby="upload-title">
      <h2 id="upload-title">{t("docs.upload_title")}</h2>
      <fieldset
        className={`dropzone${over ? " over" : ""}`}
        data-testid="dropzone"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={(e) => {
          e.preventDefault();
          setOver(false);
          addFiles(e.dataTransfer.files);
        }}
      >
        <legend className="sr-only">{t("docs.upload_title")}</legend>
        <p>{t("docs.drop_here")}</p>
        <label htmlFor={inputId} className="button">
          {t("docs.choose_files")}
        </label>
        <input
          ref={input}
          id={inputId}
          className="sr-only"
          type="file"
          multiple
          onChange={(e) => {
            addFiles(e.target.files);
            if (input.current) input.current.value = "";
          }}
        />
        <p className="muted small">{t("docs.formats")}</p>
      </fieldset>
      {uploads.items.length ? (
        <ul className="uploads" aria-label={t("docs.uploads")}>
          {uploads.items.map((it) => (
            <li key={it.key} data-testid="upload-item">
              <div className="upload-head">
                <span className="filename">{it.name}</span>
                <StageLabel stage={it.stage} />
                {it.deduplicated ? <span className="muted small">{t("docs.deduplicated")}</span> : null}
              </div>
              <progress
                max={100}
                value={it.stage === "ready" ? 100 : it.percent}
                aria-label={t("docs.progress_of", { name: it.name })}
              />
              {it.error ? <ErrorNotice error={it.error} /> : null}
              {it.failure ? <FailureNotice failure={it.failure} /> : null}
              {it.stage === "failed" ? (
                <button type="button" onClick={() => uploads.retry(it.key)}>
                  {t("docs.retry")}
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {uploads.items.some((i) => i.stage === "ready") ? (
        <button type="button" onClick={uploads.clearDone}>
          {t("docs.clear_done")}
        </button>
      ) : null}
    </section>
  );
}
