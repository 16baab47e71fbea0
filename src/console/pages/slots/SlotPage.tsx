import { useTranslation } from "react-i18next";
import { useLocation } from "react-router";

/** Members, Embeds and Billing: the navigation has their place; each page lands with its own issue. */
export default function SlotPage() {
  const { t } = useTranslation();
  const slot = useLocation().pathname.replace(/^\//, "") as "members" | "embeds" | "billing";
  return (
    <>
      <h1>{t(`nav.${slot}`)}</h1>
      <p className="notice">{t(`slots.${slot}`)}</p>
    </>
  );
}
