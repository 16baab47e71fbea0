import { useMutation } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useLocation, useNavigate } from "react-router";
import { api, unwrap } from "../api/client";
import { ErrorNotice } from "../components/ErrorNotice";
import { PublicLayout } from "./PublicLayout";
import { setAccount } from "./session";

/**
 * The targets of e-mailed links (/auth/verify-email, /auth/accept-invitation with ?token=). The token
 * is posted only when the person presses the button, so a mail scanner opening the link spends nothing.
 */
export default function EmailLinkPage() {
  const { t } = useTranslation();
  const id = useId();
  const navigate = useNavigate();
  const { pathname, search } = useLocation();
  const token = new URLSearchParams(search).get("token") ?? "";
  const invitation = pathname.endsWith("accept-invitation");
  const [password, setPassword] = useState("");
  const [done, setDone] = useState(false);
  const act = useMutation({
    mutationFn: async () => {
      if (!invitation) {
        await unwrap(api.POST("/v1/auth/email/verify", { body: { token } }));
        return setDone(true);
      }
      const r = await unwrap(
        api.POST("/v1/auth/invitations/accept", { body: { token, ...(password ? { password } : {}) } }),
      );
      // A new account is signed in at once; an existing one signs in as usual.
      if (r.session) {
        setAccount(r.session);
        navigate("/");
      } else setDone(true);
    },
  });
  return (
    <PublicLayout title={t(invitation ? "auth.invitation_title" : "auth.verify_title")}>
      {done ? (
        <p className="notice" role="status">
          {t(invitation ? "auth.invitation_done" : "auth.verify_done")}
        </p>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            act.mutate();
          }}
        >
          {invitation ? (
            <div className="field">
              <label htmlFor={`${id}-pw`}>{t("auth.new_password")}</label>
              <input
                id={`${id}-pw`}
                type="password"
                autoComplete="new-password"
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
              <p className="muted small">{t("auth.invitation_password_help")}</p>
            </div>
          ) : null}
          <ErrorNotice error={act.error} />
          <button type="submit" className="primary" disabled={act.isPending || !token}>
            {t(invitation ? "auth.accept_invitation" : "auth.verify_email")}
          </button>
        </form>
      )}
      <p className="small">
        <Link to="/">{t("auth.back_to_sign_in")}</Link>
      </p>
    </PublicLayout>
  );
}
