import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, type Schemas, unwrap } from "../../api/client";
import { ErrorNotice } from "../../components/ErrorNotice";
import { KbPicker } from "../../components/KbPicker";
import { Pager, useCursorPages } from "../../components/Pager";
import { formatDateTime, formatMicros, formatNumber } from "../../i18n/format";

type Scope = Schemas["CreateApiKey"]["scopes"][number];
const SCOPES: Scope[] = ["admin", "ingest", "query"];

function SecretOnce({ created, onDismiss }: { created: Schemas["ApiKeyCreated"]; onDismiss: () => void }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const id = useId();
  return (
    <div className="notice" role="status" data-testid="secret">
      <strong>{t("keys.secret_once")}</strong>
      <div className="secret-row">
        <label htmlFor={id} className="sr-only">
          {t("keys.secret")}
        </label>
        <input id={id} readOnly value={created.key} onFocus={(e) => e.target.select()} className="mono" />
        <button
          type="button"
          onClick={async () => {
            await navigator.clipboard.writeText(created.key).catch(() => undefined);
            setCopied(true);
          }}
        >
          {copied ? t("keys.copied") : t("keys.copy")}
        </button>
      </div>
      <button type="button" onClick={onDismiss}>
        {t("keys.secret_stored")}
      </button>
    </div>
  );
}

/** API keys: create (shown once), list, revoke. */
export default function KeysPage() {
  const { t } = useTranslation();
  const id = useId();
  const queries = useQueryClient();
  const pages = useCursorPages();
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<Scope[]>(["query"]);
  const [kbIds, setKbIds] = useState<string[]>([]);
  const [expires, setExpires] = useState("");
  const [budget, setBudget] = useState("");
  const [rate, setRate] = useState("");
  const [created, setCreated] = useState<Schemas["ApiKeyCreated"] | null>(null);

  const keys = useQuery({
    queryKey: ["keys", pages.cursor],
    queryFn: () => unwrap(api.GET("/v1/keys", { params: { query: { limit: 50, cursor: pages.cursor } } })),
  });
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST("/v1/keys", {
          body: {
            name,
            scopes,
            knowledge_base_ids: kbIds.length ? kbIds : null,
            expires_at: expires ? new Date(`${expires}T23:59:59Z`).toISOString() : null,
            monthly_budget_usd: budget ? Number(budget) : null,
            rate_limit_per_minute: rate ? Number(rate) : null,
          },
        }),
      ),
    onSuccess: (k) => {
      setCreated(k);
      setName("");
      void queries.invalidateQueries({ queryKey: ["keys"] });
    },
  });
  const revoke = useMutation({
    mutationFn: (keyId: string) => unwrap(api.DELETE("/v1/keys/{id}", { params: { path: { id: keyId } } })),
    onSuccess: () => queries.invalidateQueries({ queryKey: ["keys"] }),
  });

  return (
    <>
      <h1>{t("keys.title")}</h1>
      {created ? <SecretOnce created={created} onDismiss={() => setCreated(null)} /> : null}
      <form
        className="card"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <h2>{t("keys.create")}</h2>
        <div className="grid-form">
          <div className="field">
            <label htmlFor={`${id}-name`}>{t("keys.name")}</label>
            <input id={`${id}-name`} required value={name} onChange={(e) => setName(e.target.value)} />
          </div>
          <fieldset className="field">
            <legend>{t("keys.scopes")}</legend>
            {SCOPES.map((s) => (
              <label key={s} className="check">
                <input
                  type="checkbox"
                  checked={scopes.includes(s)}
                  onChange={(e) =>
                    setScopes(e.target.checked ? [...scopes, s] : scopes.filter((x) => x !== s))
                  }
                />
                {t(`keys.scope_${s}`)}
              </label>
            ))}
          </fieldset>
          <KbPicker value={kbIds} onChange={setKbIds} />
          <div className="field">
            <label htmlFor={`${id}-exp`}>{t("keys.expires")}</label>
            <input
              id={`${id}-exp`}
              type="date"
              value={expires}
              onChange={(e) => setExpires(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-budget`}>{t("keys.budget")}</label>
            <input
              id={`${id}-budget`}
              type="number"
              min={0}
              step="0.01"
              value={budget}
              onChange={(e) => setBudget(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-rate`}>{t("keys.rate_limit")}</label>
            <input
              id={`${id}-rate`}
              type="number"
              min={1}
              value={rate}
              onChange={(e) => setRate(e.target.value)}
            />
          </div>
        </div>
        <p className="muted small">{t("keys.kb_hint")}</p>
        <ErrorNotice error={create.error} />
        <button
          type="submit"
          className="primary"
          disabled={create.isPending || !name.trim() || !scopes.length}
        >
          {t("keys.create_button")}
        </button>
      </form>
      <ErrorNotice error={keys.error ?? revoke.error} />
      {keys.data ? (
        <table>
          <caption className="sr-only">{t("keys.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("keys.name")}</th>
              <th scope="col">{t("keys.prefix")}</th>
              <th scope="col">{t("keys.scopes")}</th>
              <th scope="col">{t("keys.limits")}</th>
              <th scope="col">{t("keys.expires")}</th>
              <th scope="col">{t("common.created")}</th>
              <th scope="col">{t("common.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {keys.data.data.map((k) => (
              <tr key={k.id} className={k.revoked_at ? "revoked" : ""}>
                <td>{k.name}</td>
                <td className="mono">{k.prefix}…</td>
                <td>{k.scopes.map((s) => t(`keys.scope_${s}`)).join(", ")}</td>
                <td className="small">
                  {k.monthly_budget_usd !== null ? (
                    <div>
                      {t("keys.budget_value", {
                        amount: formatMicros(Math.round(k.monthly_budget_usd * 1e6)),
                      })}
                    </div>
                  ) : null}
                  {k.rate_limit_per_minute !== null ? (
                    <div>{t("keys.rate_value", { n: formatNumber(k.rate_limit_per_minute) })}</div>
                  ) : null}
                  {k.knowledge_base_ids ? (
                    <div>{t("keys.kb_count", { n: formatNumber(k.knowledge_base_ids.length) })}</div>
                  ) : null}
                </td>
                <td>{k.expires_at ? formatDateTime(k.expires_at) : t("keys.never")}</td>
                <td>{formatDateTime(k.created_at)}</td>
                <td>
                  {k.revoked_at ? (
                    <span className="badge badge-failed">{t("keys.revoked")}</span>
                  ) : (
                    <button
                      type="button"
                      className="danger"
                      aria-label={t("keys.revoke_named", { name: k.name })}
                      onClick={() =>
                        window.confirm(t("keys.revoke_confirm", { name: k.name })) && revoke.mutate(k.id)
                      }
                    >
                      {t("keys.revoke")}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <Pager
        page={pages.page}
        hasNext={Boolean(keys.data?.next_cursor)}
        onPrev={pages.prev}
        onNext={() => pages.next(keys.data?.next_cursor)}
      />
    </>
  );
}
