import { useQuery } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { api, type Schemas, unwrap } from "../../api/client";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Recommendations } from "./Recommendations";
import { TemplateCard } from "./TemplateCard";

type Summary = Schemas["TemplateSummary"];

/** The solution-template gallery: recommendations first, then the cards grouped by category. */
export default function TemplatesPage() {
  const { t } = useTranslation();
  const list = useQuery({ queryKey: ["templates"], queryFn: () => unwrap(api.GET("/v1/templates")) });
  const groups = new Map<Summary["category"], Summary[]>();
  for (const tpl of list.data?.data ?? [])
    groups.set(tpl.category, [...(groups.get(tpl.category) ?? []), tpl]);
  return (
    <>
      <h1>{t("gallery.title")}</h1>
      <p className="muted">{t("gallery.intro")}</p>
      <Recommendations />
      <ErrorNotice error={list.error} />
      {[...groups].map(([category, items]) => (
        <section key={category} aria-labelledby={`cat-${category}`}>
          <h2 id={`cat-${category}`}>{t(`gallery.category.${category}`)}</h2>
          <div className="template-grid">
            {items.map((tpl) => (
              <TemplateCard key={tpl.id} template={tpl} />
            ))}
          </div>
        </section>
      ))}
    </>
  );
}
