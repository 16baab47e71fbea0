import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, unwrap } from "../../api/client";
import { ErrorNotice } from "../../components/ErrorNotice";
import { formatDateTime, formatMicros, formatNumber } from "../../i18n/format";
import { canManageBilling } from "./access";
import { Statements } from "./Statements";

const month = () => new Date().toISOString().slice(0, 7);

/** Plan and quota use, quota by quota (GET /v1/billing/quota). */
function QuotaTable() {
  const { t } = useTranslation();
  const quota = useQuery({
    queryKey: ["billing", "quota"],
    queryFn: () => unwrap(api.GET("/v1/billing/quota")),
  });
  if (!quota.data) return <ErrorNotice error={quota.error} />;
  return (
    <table data-testid="billing-quota">
      <caption>{t("billing.quota_caption", { month: quota.data.month })}</caption>
      <thead>
        <tr>
          <th scope="col">{t("billing.quota")}</th>
          <th scope="col">{t("billing.use")}</th>
          <th scope="col">{t("billing.limit")}</th>
        </tr>
      </thead>
      <tbody>
        {quota.data.data.map((q) => (
          <tr key={q.quota} data-quota={q.quota}>
            <th scope="row">{q.quota}</th>
            <td>{formatNumber(q.use)}</td>
            <td>{q.limit === null ? t("billing.unlimited") : formatNumber(q.limit)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** This month's calls by model, at provider cost and at the customer's price (transparent cost). */
function CostTable() {
  const { t } = useTranslation();
  const from = `${month()}-01`;
  const usage = useQuery({
    queryKey: ["billing", "usage", from],
    queryFn: () =>
      unwrap(api.GET("/v1/usage", { params: { query: { group_by: "model", from, format: "json" } } })),
  });
  const report = usage.data as
    | { data: { group: string; requests: number; cost_micros: number; charge_micros: number }[] }
    | undefined;
  if (!report) return <ErrorNotice error={usage.error} />;
  return (
    <table data-testid="billing-costs">
      <caption>{t("billing.costs_caption")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("usage.group_model")}</th>
          <th scope="col">{t("usage.requests")}</th>
          <th scope="col">{t("billing.provider_cost")}</th>
          <th scope="col">{t("billing.charge")}</th>
        </tr>
      </thead>
      <tbody>
        {report.data.map((r) => (
          <tr key={r.group}>
            <th scope="row">{r.group}</th>
            <td>{formatNumber(r.requests)}</td>
            <td data-micros={r.cost_micros}>{formatMicros(r.cost_micros)}</td>
            <td data-micros={r.charge_micros}>{formatMicros(r.charge_micros)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The wallet's latest entries: top-ups, codes, credits and what calls past the quota paid. */
function WalletEntries() {
  const { t } = useTranslation();
  const wallet = useQuery({
    queryKey: ["billing", "wallet"],
    queryFn: () => unwrap(api.GET("/v1/billing/wallet", { params: { query: { limit: 10 } } })),
  });
  if (!wallet.data) return <ErrorNotice error={wallet.error} />;
  if (!wallet.data.data.length) return <p className="muted">{t("billing.wallet_empty")}</p>;
  return (
    <table data-testid="billing-wallet-entries">
      <caption>{t("billing.wallet_caption")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("billing.when")}</th>
          <th scope="col">{t("billing.kind")}</th>
          <th scope="col">{t("billing.amount")}</th>
        </tr>
      </thead>
      <tbody>
        {wallet.data.data.map((e) => (
          <tr key={e.id}>
            <td>{formatDateTime(e.created_at)}</td>
            <td>{t(`billing.kind_${e.kind}`)}</td>
            <td data-micros={e.amount_micros}>{formatMicros(e.amount_micros)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Redeem() {
  const { t } = useTranslation();
  const id = useId();
  const queries = useQueryClient();
  const [code, setCode] = useState("");
  const redeem = useMutation({
    mutationFn: (c: string) => unwrap(api.POST("/v1/billing/redeem", { body: { code: c } })),
    onSuccess: () => {
      setCode("");
      void queries.invalidateQueries({ queryKey: ["billing"] });
    },
  });
  return (
    <form
      className="toolbar card"
      onSubmit={(e) => {
        e.preventDefault();
        if (code.trim()) redeem.mutate(code.trim());
      }}
    >
      <span className="inline-field">
        <label htmlFor={`${id}-code`}>{t("billing.code")}</label>
        <input
          id={`${id}-code`}
          value={code}
          autoComplete="off"
          placeholder="AIH-XXXX-XXXX-XXXX-XXXX"
          onChange={(e) => setCode(e.target.value)}
        />
      </span>
      <button type="submit" disabled={redeem.isPending}>
        {t("billing.redeem")}
      </button>
      {redeem.data ? (
        <p role="status">{t("billing.redeemed", { amount: formatMicros(redeem.data.amount_micros) })}</p>
      ) : null}
      <ErrorNotice error={redeem.error} />
    </form>
  );
}

/** Plans Checkout sells, other than the current one: each an upgrade button to Stripe Checkout. */
function Upgrade({ current }: { current: string }) {
  const { t } = useTranslation();
  const plans = useQuery({
    queryKey: ["billing", "plans"],
    queryFn: () => unwrap(api.GET("/v1/billing/plans")),
  });
  const checkout = useMutation({
    mutationFn: (planId: string) => unwrap(api.POST("/v1/billing/checkout", { body: { plan_id: planId } })),
    onSuccess: (r) => {
      if (r.url) window.location.assign(r.url);
    },
  });
  const offers = plans.data?.data.filter((p) => p.purchasable && p.id !== current) ?? [];
  return (
    <>
      {offers.map((p) => (
        <button key={p.id} type="button" onClick={() => checkout.mutate(p.id)} disabled={checkout.isPending}>
          {t("billing.upgrade", { plan: p.name, price: formatMicros(p.monthly_price_micros) })}
        </button>
      ))}
      <ErrorNotice error={checkout.error} />
    </>
  );
}

/** Billing (issue 16): plan, quotas, wallet, transparent cost, statements; owners and billing only. */
export default function BillingPage() {
  const { t } = useTranslation();
  const allowed = canManageBilling();
  const plan = useQuery({
    queryKey: ["billing", "plan"],
    queryFn: () => unwrap(api.GET("/v1/billing/plan")),
    enabled: allowed,
  });
  if (!allowed)
    return (
      <>
        <h1>{t("nav.billing")}</h1>
        <p className="notice">{t("billing.not_allowed")}</p>
      </>
    );
  const p = plan.data;
  return (
    <>
      <h1>{t("nav.billing")}</h1>
      <ErrorNotice error={plan.error} />
      {p ? (
        <section aria-labelledby="billing-plan" className="card">
          <h2 id="billing-plan">{t("billing.plan", { plan: p.plan.name })}</h2>
          {p.status === "past_due" ? <p className="notice">{t("billing.past_due")}</p> : null}
          <p className="big" data-testid="billing-balance" data-micros={p.wallet_micros}>
            {t("billing.balance", { amount: formatMicros(p.wallet_micros) })}
          </p>
          <p data-testid="billing-included">
            {t("billing.included_left", {
              left: formatMicros(p.included_credit_left_micros),
              total: formatMicros(p.plan.included_credit_micros),
            })}
          </p>
          <Upgrade current={p.plan.id} />
        </section>
      ) : null}
      <section aria-labelledby="billing-quotas">
        <h2 id="billing-quotas">{t("billing.quotas")}</h2>
        <QuotaTable />
      </section>
      <section aria-labelledby="billing-wallet">
        <h2 id="billing-wallet">{t("billing.wallet")}</h2>
        <Redeem />
        <WalletEntries />
      </section>
      <section aria-labelledby="billing-costs">
        <h2 id="billing-costs">{t("billing.costs")}</h2>
        <CostTable />
      </section>
      <Statements />
    </>
  );
}
