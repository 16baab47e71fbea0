import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, useSyncExternalStore } from "react";
import { useTranslation } from "react-i18next";
import { NavLink, Outlet } from "react-router";
import { api, unwrap } from "../api/client";
import { SignInPage } from "../auth/SignInPage";
import {
  accountSession,
  activeIndex,
  activeSession,
  onSessionChange,
  sessions,
  signOut,
} from "../auth/session";
import { canManageBilling } from "../pages/billing/access";
import { LanguagePicker } from "./LanguagePicker";
import { OrgSwitcher } from "./OrgSwitcher";

const subscribe = (fn: () => void) => onSessionChange(fn);
// The whole shell remounts when the organization changes, so no page keeps another tenant's state.
const snapshot = () => `${activeIndex()}:${sessions().length}:${accountSession()?.organization?.id ?? ""}`;

const NAV = [
  ["/knowledge-bases", "nav.knowledge_bases"],
  ["/retrieval", "nav.retrieval"],
  ["/playground", "nav.playground"],
  ["/keys", "nav.keys"],
  ["/usage", "nav.usage"],
  ["/audit", "nav.audit"],
  ["/evals", "nav.evals"],
  ["/members", "nav.members"],
  ["/embeds", "nav.embeds"],
  ["/templates", "nav.templates"],
  ["/plugins", "nav.plugins"],
] as const;

/** Billing is offered when the server sells plans (BILLING=on) and the person may manage billing. */
function BillingLink() {
  const { t } = useTranslation();
  const allowed = canManageBilling();
  const plan = useQuery({
    queryKey: ["billing", "plan"],
    queryFn: () => unwrap(api.GET("/v1/billing/plan")),
    enabled: allowed,
  });
  if (!allowed || !plan.data?.enforced) return null;
  return (
    <li>
      <NavLink to="/billing">{t("nav.billing")}</NavLink>
    </li>
  );
}

export function Shell() {
  const { t } = useTranslation();
  const state = useSyncExternalStore(subscribe, snapshot);
  const queries = useQueryClient();
  const [adding, setAdding] = useState(false);
  const signedIn = sessions().length > 0;

  if (!signedIn || adding) {
    return (
      <div className="signin-layout">
        <header className="signin-header">
          <span className="brand">{t("app.name")}</span>
          <LanguagePicker />
        </header>
        <main id="main">
          <SignInPage
            onDone={() => {
              setAdding(false);
              queries.clear();
            }}
            onCancel={signedIn ? () => setAdding(false) : undefined}
          />
        </main>
      </div>
    );
  }
  return (
    <div className="shell" key={state}>
      <a className="skip-link" href="#main">
        {t("nav.skip")}
      </a>
      <header className="topbar">
        <span className="brand">{t("app.name")}</span>
        <OrgSwitcher onAdd={() => setAdding(true)} />
        <span className="spacer" />
        <LanguagePicker />
        <button
          type="button"
          onClick={async () => {
            // An account's server-side session ends too; a key is only forgotten by this browser.
            if (activeSession()?.kind === "account")
              await api.POST("/v1/auth/sign-out").catch(() => undefined);
            signOut();
            queries.clear();
          }}
        >
          {t("auth.sign_out")}
        </button>
      </header>
      <nav className="sidebar" aria-label={t("nav.label")}>
        <ul>
          {NAV.map(([to, key]) => (
            <li key={to}>
              <NavLink to={to}>{t(key)}</NavLink>
            </li>
          ))}
          <BillingLink />
        </ul>
      </nav>
      <main id="main" className="content" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
