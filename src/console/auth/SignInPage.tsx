import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiProblem, problemFrom } from "../api/client";
import { ErrorNotice } from "../components/ErrorNotice";
import { AccountSignIn } from "./AccountSignIn";
import { sessions, signIn } from "./session";

/**
 * Sign in: by account (email and password, second factor, SSO; AccountSignIn) or with a tenant API
 * key, which is checked against the API before it is kept. Both can be held at once; the
 * organization switcher moves between them.
 */
export function SignInPage({ onDone, onCancel }: { onDone: () => void; onCancel?: () => void }) {
  const { t } = useTranslation();
  const keyId = useId();
  const labelId = useId();
  const [key, setKey] = useState("");
  const [label, setLabel] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await fetch("/v1/knowledge-bases?limit=1", {
        headers: { authorization: `Bearer ${key.trim()}` },
      });
      if (!res.ok) throw await problemFrom(res);
      const name = label.trim() || t("auth.default_org", { n: sessions().length + 1 });
      signIn({ key: key.trim(), label: name, kind: "api_key" });
      onDone();
    } catch (err) {
      setError(err instanceof ApiProblem ? err : new ApiProblem(0, "network_error", String(err)));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card signin" aria-labelledby="signin-title">
      <h1 id="signin-title">{t("auth.title")}</h1>
      <AccountSignIn onDone={onDone} />
      <form onSubmit={submit} className="signin-key">
        <h2 id="signin-key">{t("auth.key_heading")}</h2>
        <p className="muted">{t("auth.key_help")}</p>
        <div className="field">
          <label htmlFor={keyId}>{t("auth.api_key")}</label>
          <input
            id={keyId}
            type="password"
            autoComplete="off"
            required
            value={key}
            onChange={(e) => setKey(e.target.value)}
            placeholder="aih_…"
          />
        </div>
        <div className="field">
          <label htmlFor={labelId}>{t("auth.org_label")}</label>
          <input id={labelId} value={label} onChange={(e) => setLabel(e.target.value)} />
        </div>
        <ErrorNotice error={error} />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy || !key.trim()}>
            {t("auth.sign_in")}
          </button>
          {onCancel ? (
            <button type="button" onClick={onCancel}>
              {t("common.cancel")}
            </button>
          ) : null}
        </div>
      </form>
    </section>
  );
}
