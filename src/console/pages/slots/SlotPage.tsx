import { useTranslation } from "react-i18next";
import { useLocation } from "react-router";

/** Billing: the navigation has its place; the page lands with its own issue. */
export default function SlotPage() {
  const { t } = useTranslation();
  const slot = useLocation().pathname.replace(/^\//, "") as "billing";
  return (
    <>
      <h1>{t(`nav.${slot}`)}</h1>
      <p className="notice">{t(`slots.${slot}`)}</p>
    </>
  );
}
