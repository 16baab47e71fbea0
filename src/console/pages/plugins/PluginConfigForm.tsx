import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, type Schemas, unwrap } from "../../api/client";
import { ErrorNotice } from "../../components/ErrorNotice";

type OrgPlugin = Schemas["OrgPlugin"];
type Property = { type?: string | string[]; title?: string; description?: string; enum?: unknown[] };

/** The manifest's configSchema properties, as form fields; anything else is edited as JSON text. */
function propertiesOf(schema: Record<string, unknown>): [string, Property][] {
  const props = (schema.properties ?? {}) as Record<string, Property>;
  return Object.entries(props);
}

const kindOf = (p: Property) => (Array.isArray(p.type) ? p.type[0] : p.type) ?? "string";

function toInput(value: unknown, p: Property): string {
  if (value === undefined || value === null) return "";
  return kindOf(p) === "array" || kindOf(p) === "object" ? JSON.stringify(value) : String(value);
}

function fromInput(text: string, p: Property): unknown {
  const kind = kindOf(p);
  if (text === "") return undefined;
  if (kind === "number" || kind === "integer") return Number(text);
  if (kind === "array" || kind === "object") return JSON.parse(text);
  return text;
}

/**
 * Enable/disable and configure one plugin for the organization. Secrets are password fields that start
 * empty: the API never sends a stored secret back, so an empty field means "keep the stored value".
 */
export function PluginConfigForm({ plugin }: { plugin: OrgPlugin }) {
  const { t } = useTranslation();
  const id = useId();
  const queries = useQueryClient();
  const props = propertiesOf(plugin.config_schema).filter(([k]) => !plugin.secret_names.includes(k));
  const secretProps = plugin.secret_names;
  const [enabled, setEnabled] = useState(plugin.enabled);
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(props.map(([k, p]) => [k, toInput(plugin.config[k], p)])),
  );
  const [bools, setBools] = useState<Record<string, boolean>>(() =>
    Object.fromEntries(
      props.filter(([, p]) => kindOf(p) === "boolean").map(([k]) => [k, plugin.config[k] === true]),
    ),
  );
  const [secrets, setSecrets] = useState<Record<string, string>>({});
  const save = useMutation({
    mutationFn: () => {
      const config: Record<string, unknown> = {};
      for (const [k, p] of props) {
        const v = kindOf(p) === "boolean" ? bools[k] : fromInput(values[k] ?? "", p);
        if (v !== undefined) config[k] = v;
      }
      const filled = Object.fromEntries(Object.entries(secrets).filter(([, v]) => v !== ""));
      return unwrap(
        api.PUT("/v1/plugins/{id}", {
          params: { path: { id: plugin.id } },
          body: { enabled, config, ...(Object.keys(filled).length ? { secrets: filled } : {}) },
        }),
      );
    },
    onSuccess: () => {
      setSecrets({});
      void queries.invalidateQueries({ queryKey: ["plugins"] });
    },
  });

  return (
    <form
      className="grid-form"
      aria-label={t("plugins.configure_named", { name: plugin.name })}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <label className="check">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />
        {t("plugins.enabled")}
      </label>
      {props.length === 0 && secretProps.length === 0 ? (
        <p className="muted small">{t("plugins.no_config")}</p>
      ) : null}
      {props.map(([k, p]) =>
        kindOf(p) === "boolean" ? (
          <label key={k} className="check">
            <input
              type="checkbox"
              checked={bools[k] ?? false}
              onChange={(e) => setBools({ ...bools, [k]: e.target.checked })}
            />
            {p.title ?? k}
          </label>
        ) : (
          <div key={k} className="field">
            <label htmlFor={`${id}-${k}`}>{p.title ?? k}</label>
            <input
              id={`${id}-${k}`}
              type={kindOf(p) === "number" || kindOf(p) === "integer" ? "number" : "text"}
              value={values[k] ?? ""}
              onChange={(e) => setValues({ ...values, [k]: e.target.value })}
            />
            {p.description ? <span className="muted small">{p.description}</span> : null}
          </div>
        ),
      )}
      {secretProps.map((k) => (
        <div key={k} className="field">
          <label htmlFor={`${id}-secret-${k}`}>{k}</label>
          <input
            id={`${id}-secret-${k}`}
            type="password"
            autoComplete="new-password"
            value={secrets[k] ?? ""}
            onChange={(e) => setSecrets({ ...secrets, [k]: e.target.value })}
          />
          <span className="muted small">
            {plugin.secrets_set.includes(k) ? t("plugins.secret_set") : t("plugins.secret_unset")}
          </span>
        </div>
      ))}
      <ErrorNotice error={save.error} />
      {save.isSuccess ? (
        <p role="status" className="muted">
          {t("common.saved")}
        </p>
      ) : null}
      <div className="row-actions">
        <button type="submit" className="primary" disabled={save.isPending}>
          {t("common.save")}
        </button>
      </div>
    </form>
  );
}
