import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { api, type Schemas, unwrap } from "../../api/client";

export type KbFields = Required<Schemas["CreateKnowledgeBase"]>;

export const KB_DEFAULTS: KbFields = {
  name: "",
  description: "",
  language: "auto",
  chunk_size: 400,
  chunk_overlap: 60,
  prompt_template: "qa",
  embedder: "default",
};

/**
 * The fields a knowledge base is created and edited with: language, chunking, prompt template, and the
 * embedder (the deployment's, or an embedder plugin the organization enabled; fixed once it has documents).
 */
export function KbFieldset({ value, onChange }: { value: KbFields; onChange: (v: KbFields) => void }) {
  const { t } = useTranslation();
  const id = useId();
  // Only administrators may list plugins; others see the knowledge base's own setting alone.
  const plugins = useQuery({
    queryKey: ["plugins", "org"],
    queryFn: () => unwrap(api.GET("/v1/plugins")),
    retry: false,
  });
  const embedders = [
    "default",
    ...(plugins.data?.data ?? [])
      .filter((p) => p.kind === "embedder" && p.enabled)
      .map((p) => `plugin:${p.id}`),
  ];
  if (!embedders.includes(value.embedder)) embedders.push(value.embedder);
  const set = <K extends keyof KbFields>(k: K, v: KbFields[K]) => onChange({ ...value, [k]: v });
  return (
    <div className="grid-form">
      <div className="field">
        <label htmlFor={`${id}-name`}>{t("kb.name")}</label>
        <input
          id={`${id}-name`}
          required
          maxLength={200}
          value={value.name}
          onChange={(e) => set("name", e.target.value)}
        />
      </div>
      <div className="field wide">
        <label htmlFor={`${id}-desc`}>{t("kb.description")}</label>
        <input
          id={`${id}-desc`}
          value={value.description}
          onChange={(e) => set("description", e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-lang`}>{t("kb.language")}</label>
        <select
          id={`${id}-lang`}
          value={value.language}
          onChange={(e) => set("language", e.target.value as KbFields["language"])}
        >
          <option value="auto">{t("kb.language_auto")}</option>
          <option value="en">{t("kb.language_en")}</option>
          <option value="zh">{t("kb.language_zh")}</option>
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-size`}>{t("kb.chunk_size")}</label>
        <input
          id={`${id}-size`}
          type="number"
          min={50}
          max={4000}
          value={value.chunk_size}
          onChange={(e) => set("chunk_size", Number(e.target.value))}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-overlap`}>{t("kb.chunk_overlap")}</label>
        <input
          id={`${id}-overlap`}
          type="number"
          min={0}
          value={value.chunk_overlap}
          onChange={(e) => set("chunk_overlap", Number(e.target.value))}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-tpl`}>{t("kb.prompt_template")}</label>
        <select
          id={`${id}-tpl`}
          value={value.prompt_template}
          onChange={(e) => set("prompt_template", e.target.value as KbFields["prompt_template"])}
        >
          {(["qa", "strict", "support-bot"] as const).map((tpl) => (
            <option key={tpl} value={tpl}>
              {t(`templates.${tpl}`)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-embedder`}>{t("kb.embedder")}</label>
        <select
          id={`${id}-embedder`}
          value={value.embedder}
          onChange={(e) => set("embedder", e.target.value)}
        >
          {embedders.map((e) => (
            <option key={e} value={e}>
              {e === "default" ? t("kb.embedder_default") : e}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
