import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { problemFrom, rawFetch, type Schemas } from "../../api/client";
import { ErrorNotice } from "../../components/ErrorNotice";
import { saveFile } from "../../components/save-file";
import { currentLocale } from "../../i18n/index";

/**
 * The tag to paste into a site, with a copy button, the transcripts as CSV, and a live preview: the snippet runs in an
 * iframe whose srcdoc inherits this console's origin, so the widget talks to the real public
 * endpoints and works only when that origin is on the embed's list (the page offers to add it).
 */
export function EmbedSnippet({
  embed,
  onAllowHere,
  busy,
}: {
  embed: Schemas["Embed"];
  onAllowHere: () => void;
  busy: boolean;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [copied, setCopied] = useState(false);
  const [preview, setPreview] = useState(false);
  const [exportError, setExportError] = useState<unknown>(null);
  const here = window.location.origin;
  const allowed = embed.allowed_origins.includes(here);
  const locale = embed.default_language ?? currentLocale();
  const doc = `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>${t("embeds.preview")}</title></head><body>${embed.snippet.replace(
    "<script ",
    `<script data-locale="${locale}" `,
  )}</body></html>`;
  // Transcripts: every conversation's messages, citations, feedback and cost, one row per message.
  async function exportTranscripts() {
    setExportError(null);
    const res = await rawFetch(`/v1/embeds/${encodeURIComponent(embed.id)}/conversations?format=csv`);
    if (!res.ok) return setExportError(await problemFrom(res));
    saveFile(await res.blob(), `${embed.id}-transcripts.csv`);
  }

  return (
    <section className="card" aria-labelledby={`${id}-title`} data-testid="embed-snippet">
      <h2 id={`${id}-title`}>{t("embeds.snippet_named", { name: embed.name })}</h2>
      <p className="muted small">{t("embeds.snippet_help")}</p>
      <pre className="snippet mono">
        <code>{embed.snippet}</code>
      </pre>
      <div className="actions">
        <button
          type="button"
          onClick={async () => {
            await navigator.clipboard.writeText(embed.snippet).catch(() => undefined);
            setCopied(true);
          }}
        >
          {copied ? t("keys.copied") : t("embeds.copy_snippet")}
        </button>
        <button type="button" aria-expanded={preview} onClick={() => setPreview(!preview)}>
          {preview ? t("embeds.hide_preview") : t("embeds.show_preview")}
        </button>
        <button type="button" onClick={() => void exportTranscripts()}>
          {t("embeds.transcripts_csv")}
        </button>
      </div>
      <ErrorNotice error={exportError} />
      {preview ? (
        <>
          {allowed ? null : (
            <div className="notice" role="status">
              <p>{t("embeds.preview_origin", { origin: here })}</p>
              <button type="button" onClick={onAllowHere} disabled={busy}>
                {t("embeds.allow_here")}
              </button>
            </div>
          )}
          <iframe className="preview-frame" title={t("embeds.preview")} srcDoc={doc} key={embed.updated_at} />
        </>
      ) : null}
    </section>
  );
}
