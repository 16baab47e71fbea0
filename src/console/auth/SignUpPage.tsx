import { useMutation } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { api, unwrap } from "../api/client";
import { ErrorNotice } from "../components/ErrorNotice";
import { currentLocale } from "../i18n/index";
import { PublicLayout } from "./PublicLayout";

/** Sign-up (offered only when the server's policy is open): the account must verify its email first. */
export default function SignUpPage() {
  const { t } = useTranslation();
  const id = useId();
  const [form, setForm] = useState({ email: "", password: "", name: "", organization_name: "" });
  const set = (k: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement>) =>
    setForm({ ...form, [k]: e.target.value });
  const signUp = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/v1/auth/sign-up", {
          body: {
            email: form.email.trim(),
            password: form.password,
            ...(form.name.trim() ? { name: form.name.trim() } : {}),
            ...(form.organization_name.trim() ? { organization_name: form.organization_name.trim() } : {}),
            locale: currentLocale(),
          },
        }),
      ),
  });
  return (
    <PublicLayout title={t("auth.sign_up_title")}>
      {signUp.data ? (
        <p className="notice" role="status">
          {t(
            signUp.data.verification_delivery === "server_log"
              ? "auth.sign_up_done_server_log"
              : "auth.sign_up_done",
            { email: signUp.data.user.email },
          )}
        </p>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            signUp.mutate();
          }}
        >
          {(
            [
              ["email", "auth.email", "email", "username"],
              ["password", "auth.new_password", "password", "new-password"],
              ["name", "auth.name", "text", "name"],
              ["organization_name", "auth.organization_name", "text", "organization"],
            ] as const
          ).map(([k, label, type, auto]) => (
            <div className="field" key={k}>
              <label htmlFor={`${id}-${k}`}>{t(label)}</label>
              <input
                id={`${id}-${k}`}
                type={type}
                autoComplete={auto}
                required={k === "email" || k === "password"}
                value={form[k]}
                onChange={set(k)}
              />
            </div>
          ))}
          <p className="muted small">{t("auth.password_rule")}</p>
          <ErrorNotice error={signUp.error} />
          <button type="submit" className="primary" disabled={signUp.isPending}>
            {t("auth.create_account")}
          </button>
        </form>
      )}
      <p className="small">
        <Link to="/">{t("auth.back_to_sign_in")}</Link>
      </p>
    </PublicLayout>
  );
}
