import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../api/client";

export function useKnowledgeBases() {
  return useQuery({
    queryKey: ["knowledge-bases"],
    queryFn: () => unwrap(api.GET("/v1/knowledge-bases", { params: { query: { limit: 100 } } })),
  });
}

/** Multi-select of the caller's knowledge bases, for search, ask and evals. */
export function KbPicker({
  value,
  onChange,
  multiple = true,
}: {
  value: string[];
  onChange: (ids: string[]) => void;
  multiple?: boolean;
}) {
  const { t } = useTranslation();
  const id = useId();
  const kbs = useKnowledgeBases();
  return (
    <div className="field">
      <label htmlFor={id}>{t("common.knowledge_bases")}</label>
      <select
        id={id}
        multiple={multiple}
        value={multiple ? value : (value[0] ?? "")}
        size={multiple ? Math.min(4, Math.max(2, kbs.data?.data.length ?? 2)) : undefined}
        onChange={(e) => onChange([...e.target.selectedOptions].map((o) => o.value).filter(Boolean))}
      >
        {multiple ? null : <option value="">{t("common.choose")}</option>}
        {kbs.data?.data.map((kb) => (
          <option key={kb.id} value={kb.id}>
            {kb.name}
          </option>
        ))}
      </select>
    </div>
  );
}
