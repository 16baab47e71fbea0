import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { LanguagePicker } from "../layout/LanguagePicker";

/** The frame of the pages reached without signing in (sign-up, the targets of e-mailed links). */
export function PublicLayout({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="signin-layout">
      <header className="signin-header">
        <Link to="/" className="brand">
          {t("app.name")}
        </Link>
        <LanguagePicker />
      </header>
      <main id="main">
        <section className="card signin" aria-labelledby="public-title">
          <h1 id="public-title">{title}</h1>
          {children}
        </section>
      </main>
    </div>
  );
}
