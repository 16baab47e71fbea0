import { useTranslation } from "react-i18next";
import { KNOWN_FAILURES, type Stage } from "./progress";

export function StageLabel({ stage }: { stage: Stage }) {
  const { t } = useTranslation();
  return <span className={`badge badge-${stage}`}>{t(`docs.stage.${stage}`)}</span>;
}

/** Why a document failed and what to do, in the user's language; the API's message follows. */
export function FailureNotice({ failure }: { failure: { code: string; message: string } }) {
  const { t } = useTranslation();
  const known = KNOWN_FAILURES.has(failure.code);
  return (
    <div className="notice notice-error" role="status">
      <strong>{known ? t(`docs.failure.${failure.code}`) : failure.message}</strong>
      {known ? <p className="muted small">{failure.message}</p> : null}
      <p className="muted small">
        {t("common.error_code")}: <code>{failure.code}</code>
      </p>
    </div>
  );
}
