import { useTranslation } from "react-i18next";
import { Link } from "react-router";

export default function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <>
      <h1>{t("errors:not_found")}</h1>
      <Link to="/knowledge-bases">{t("kb.back")}</Link>
    </>
  );
}
