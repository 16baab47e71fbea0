import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { LOCALE_NAMES, LOCALES } from "../../../i18n/locales";
import { api, type Schemas, unwrap } from "../../api/client";
import { ErrorNotice } from "../../components/ErrorNotice";
import { KbPicker } from "../../components/KbPicker";

export type EmbedBody = Schemas["CreateEmbed"];
type Template = NonNullable<EmbedBody["template"]>;
type Theme = NonNullable<EmbedBody["theme"]>;

/** What the form edits: the embed's settings, with lists as one entry per line. */
interface Fields {
  name: string;
  kbIds: string[];
  models: string[];
  template: Template;
  origins: string;
  greeting: string;
  starters: string;
  color: string;
  position: NonNullable<Theme["position"]>;
  scheme: NonNullable<Theme["color_scheme"]>;
  language: string;
  perConversation: string;
  perVisitorDay: string;
  perDay: string;
  budget: string;
  signedOnly: boolean;
}

const lines = (text: string) =>
  text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
const num = (text: string) => (text.trim() === "" ? null : Number(text));
const str = (n: number | null | undefined) => (n === null || n === undefined ? "" : String(n));

function fieldsOf(e?: Schemas["Embed"]): Fields {
  return {
    name: e?.name ?? "",
    kbIds: e?.knowledge_base_ids ?? [],
    models: e?.models ?? [],
    template: (e?.template as Template) ?? "support-bot",
    origins: e?.allowed_origins.join("\n") ?? "",
    greeting: e?.greeting ?? "",
    starters: e?.starter_questions.join("\n") ?? "",
    color: e?.theme.primary_color ?? "#2563eb",
    position: e?.theme.position ?? "right",
    scheme: e?.theme.color_scheme ?? "auto",
    language: e?.default_language ?? "",
    perConversation: str(e?.max_messages_per_conversation),
    perVisitorDay: str(e?.max_conversations_per_visitor_per_day),
    perDay: str(e?.max_messages_per_day),
    budget: e?.monthly_budget_usd ?? "",
    signedOnly: e?.signed_visitors_only ?? false,
  };
}

function bodyOf(f: Fields): EmbedBody {
  return {
    name: f.name.trim(),
    knowledge_base_ids: f.kbIds,
    models: f.models,
    template: f.template,
    allowed_origins: lines(f.origins),
    greeting: f.greeting,
    starter_questions: lines(f.starters),
    theme: { primary_color: f.color, position: f.position, color_scheme: f.scheme },
    default_language: (f.language || null) as EmbedBody["default_language"],
    max_messages_per_conversation: num(f.perConversation),
    max_conversations_per_visitor_per_day: num(f.perVisitorDay),
    max_messages_per_day: num(f.perDay),
    monthly_budget_usd: num(f.budget),
    signed_visitors_only: f.signedOnly,
  };
}

/** Create or edit an embed: every setting POST/PATCH /v1/embeds accepts. */
export function EmbedForm(props: {
  embed?: Schemas["Embed"];
  busy: boolean;
  error: unknown;
  onSubmit: (body: EmbedBody) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [f, setF] = useState(() => fieldsOf(props.embed));
  const set =
    <K extends keyof Fields>(k: K) =>
    (v: Fields[K]) =>
      setF((old) => ({ ...old, [k]: v }));
  const models = useQuery({ queryKey: ["models"], queryFn: () => unwrap(api.GET("/v1/models")) });

  const text = (
    k: keyof Fields,
    label: string,
    opts: { area?: boolean; help?: string; type?: string } = {},
  ) => (
    <div className="field">
      <label htmlFor={`${id}-${k}`}>{label}</label>
      {opts.area ? (
        <textarea
          id={`${id}-${k}`}
          rows={3}
          value={f[k] as string}
          onChange={(e) => set(k)(e.target.value as never)}
          aria-describedby={opts.help ? `${id}-${k}-help` : undefined}
        />
      ) : (
        <input
          id={`${id}-${k}`}
          type={opts.type ?? "text"}
          min={opts.type === "number" ? 0 : undefined}
          step={k === "budget" ? "0.01" : undefined}
          value={f[k] as string}
          onChange={(e) => set(k)(e.target.value as never)}
          aria-describedby={opts.help ? `${id}-${k}-help` : undefined}
        />
      )}
      {opts.help ? (
        <p className="muted small" id={`${id}-${k}-help`}>
          {opts.help}
        </p>
      ) : null}
    </div>
  );

  return (
    <form
      className="card"
      aria-labelledby={`${id}-title`}
      onSubmit={(e) => {
        e.preventDefault();
        props.onSubmit(bodyOf(f));
      }}
    >
      <h2 id={`${id}-title`}>
        {props.embed ? t("embeds.edit_named", { name: props.embed.name }) : t("embeds.create")}
      </h2>
      <div className="grid-form">
        {text("name", t("embeds.name"))}
        <KbPicker value={f.kbIds} onChange={set("kbIds")} />
        <fieldset className="field">
          <legend>{t("embeds.models")}</legend>
          <ErrorNotice error={models.error} />
          {models.data?.data.map((m) => (
            <label key={m.id} className="check">
              <input
                type="checkbox"
                checked={f.models.includes(m.id)}
                onChange={(e) =>
                  set("models")(e.target.checked ? [...f.models, m.id] : f.models.filter((x) => x !== m.id))
                }
              />
              {m.id}
            </label>
          ))}
          <p className="muted small">{t("embeds.models_help")}</p>
        </fieldset>
        <div className="field">
          <label htmlFor={`${id}-tpl`}>{t("kb.prompt_template")}</label>
          <select
            id={`${id}-tpl`}
            value={f.template}
            onChange={(e) => set("template")(e.target.value as Template)}
          >
            {(["support-bot", "qa", "strict"] as const).map((tpl) => (
              <option key={tpl} value={tpl}>
                {t(`templates.${tpl}`)}
              </option>
            ))}
          </select>
        </div>
        {text("origins", t("embeds.origins"), { area: true, help: t("embeds.origins_help") })}
        {text("greeting", t("embeds.greeting"))}
        {text("starters", t("embeds.starters"), { area: true, help: t("embeds.one_per_line") })}
        <div className="field">
          <label htmlFor={`${id}-color`}>{t("embeds.color")}</label>
          <input
            id={`${id}-color`}
            type="color"
            value={f.color}
            onChange={(e) => set("color")(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-pos`}>{t("embeds.position")}</label>
          <select
            id={`${id}-pos`}
            value={f.position}
            onChange={(e) => set("position")(e.target.value as Fields["position"])}
          >
            <option value="right">{t("embeds.position_right")}</option>
            <option value="left">{t("embeds.position_left")}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-scheme`}>{t("embeds.scheme")}</label>
          <select
            id={`${id}-scheme`}
            value={f.scheme}
            onChange={(e) => set("scheme")(e.target.value as Fields["scheme"])}
          >
            {(["auto", "light", "dark"] as const).map((s) => (
              <option key={s} value={s}>
                {t(`embeds.scheme_${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-lang`}>{t("embeds.language")}</label>
          <select id={`${id}-lang`} value={f.language} onChange={(e) => set("language")(e.target.value)}>
            <option value="">{t("embeds.language_browser")}</option>
            {LOCALES.map((l) => (
              <option key={l} value={l}>
                {LOCALE_NAMES[l]}
              </option>
            ))}
          </select>
        </div>
        {text("perConversation", t("embeds.cap_conversation"), {
          type: "number",
          help: t("embeds.cap_help"),
        })}
        {text("perVisitorDay", t("embeds.cap_visitor_day"), { type: "number" })}
        {text("perDay", t("embeds.cap_day"), { type: "number" })}
        {text("budget", t("embeds.budget"), { type: "number" })}
        <label className="check">
          <input
            type="checkbox"
            checked={f.signedOnly}
            onChange={(e) => set("signedOnly")(e.target.checked)}
          />
          {t("embeds.signed_only")}
        </label>
      </div>
      <ErrorNotice error={props.error} />
      <div className="actions">
        <button
          type="submit"
          className="primary"
          disabled={props.busy || !f.name.trim() || !lines(f.origins).length}
        >
          {props.embed ? t("common.save") : t("embeds.create_button")}
        </button>
        <button type="button" onClick={props.onCancel}>
          {t("common.cancel")}
        </button>
      </div>
    </form>
  );
}
