import { useTranslation } from "react-i18next";
import { ApiProblem } from "../api/client";

/**
 * An API error in the user's language: the stable `code` picks the message from errors.json; the
 * API's own detail (English, specific) follows for the record, with the fields it names.
 */
export function ErrorNotice({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  const problem =
    error instanceof ApiProblem
      ? error
      : new ApiProblem(0, "network_error", String((error as Error)?.message));
  return (
    <div role="alert" className="notice notice-error">
      <strong>{t(`errors:${problem.code}`, { defaultValue: t("errors:internal_error") })}</strong>
      {problem.detail ? <p className="muted">{problem.detail}</p> : null}
      {problem.fields.length ? (
        <ul>
          {problem.fields.map((f) => (
            <li key={f.field}>
              <code>{f.field}</code>: {f.message}
            </li>
          ))}
        </ul>
      ) : null}
      <p className="muted small">
        {t("common.error_code")}: <code>{problem.code}</code>
      </p>
    </div>
  );
}
