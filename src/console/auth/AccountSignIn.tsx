import { useQuery } from "@tanstack/react-query";
import { useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { ApiProblem, api, type Schemas, unwrap } from "../api/client";
import { ErrorNotice } from "../components/ErrorNotice";
import { setAccount } from "./session";

type SignInResult = Schemas["Session"] | Schemas["SecondFactorChallenge"];

/**
 * Email and password, then the TOTP step when the account has two-factor. Offers single sign-on and
 * sign-up only when GET /v1/auth/options says the server has them. The API sets the HttpOnly cookie;
 * the console keeps the returned CSRF token in memory (session.ts).
 */
export function AccountSignIn({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const emailRef = useRef<HTMLInputElement>(null);
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [mfaToken, setMfaToken] = useState<string | null>(null);
  const [code, setCode] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const options = useQuery({
    queryKey: ["auth-options"],
    queryFn: () => unwrap(api.GET("/v1/auth/options")),
    staleTime: Number.POSITIVE_INFINITY,
  });

  async function run(step: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await step();
    } catch (err) {
      setError(err instanceof ApiProblem ? err : new ApiProblem(0, "network_error", String(err)));
    } finally {
      setBusy(false);
    }
  }

  const finish = (body: SignInResult) => {
    if ("second_factor_required" in body) {
      setMfaToken(body.mfa_token);
      return;
    }
    setAccount(body);
    onDone();
  };

  const signIn = (e: React.FormEvent) => {
    e.preventDefault();
    void run(async () =>
      finish(await unwrap(api.POST("/v1/auth/sign-in", { body: { email: email.trim(), password } }))),
    );
  };

  // Six digits are an authenticator code; anything else is one of the one-time recovery codes.
  const secondFactor = (e: React.FormEvent) => {
    e.preventDefault();
    const value = code.trim();
    const body = /^\d{6}$/.test(value)
      ? { mfa_token: mfaToken!, code: value }
      : { mfa_token: mfaToken!, recovery_code: value };
    void run(async () => finish(await unwrap(api.POST("/v1/auth/sign-in/second-factor", { body }))));
  };

  // SSO is found from the email's domain, so the button needs the email first.
  const sso = () => {
    if (!emailRef.current?.reportValidity() || !email.trim()) {
      emailRef.current?.focus();
      return;
    }
    void run(async () => {
      const found = await unwrap(api.POST("/v1/auth/sso/discover", { body: { email: email.trim() } }));
      window.location.assign(found.sign_in_url);
    });
  };

  if (mfaToken) {
    return (
      <form onSubmit={secondFactor} aria-labelledby={`${id}-mfa`}>
        <h2 id={`${id}-mfa`}>{t("auth.mfa_heading")}</h2>
        <p className="muted">{t("auth.mfa_help")}</p>
        <div className="field">
          <label htmlFor={`${id}-code`}>{t("auth.mfa_code")}</label>
          <input
            id={`${id}-code`}
            autoComplete="one-time-code"
            inputMode="text"
            required
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
        </div>
        <ErrorNotice error={error} />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy || !code.trim()}>
            {t("auth.verify")}
          </button>
          <button
            type="button"
            onClick={() => {
              setMfaToken(null);
              setCode("");
              setError(null);
            }}
          >
            {t("common.cancel")}
          </button>
        </div>
      </form>
    );
  }

  return (
    <form onSubmit={signIn} aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t("auth.account_heading")}</h2>
      <div className="field">
        <label htmlFor={`${id}-email`}>{t("auth.email")}</label>
        <input
          id={`${id}-email`}
          ref={emailRef}
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-password`}>{t("auth.password")}</label>
        <input
          id={`${id}-password`}
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </div>
      <ErrorNotice error={error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || !email.trim() || !password}>
          {t("auth.continue")}
        </button>
        {options.data?.sso ? (
          <button type="button" onClick={sso} disabled={busy}>
            {t("auth.sso")}
          </button>
        ) : null}
      </div>
      {options.data?.sign_up === "open" ? (
        <p className="small">
          {t("auth.no_account")} <Link to="/auth/sign-up">{t("auth.sign_up_link")}</Link>
        </p>
      ) : null}
    </form>
  );
}
