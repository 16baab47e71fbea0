import { formatMicros } from "../../models/cost.js";
import type { StatementBody, UsageLine } from "./statement-data.js";

const usd = (micros: number) => `$${formatMicros(micros)}`;
const csvCell = (v: string | number) => {
  const s = String(v);
  // Quote always, and defuse spreadsheet formulas (a key name could start with "=").
  return `"${(/^[=+\-@]/.test(s) && Number.isNaN(Number(s)) ? `'${s}` : s).replaceAll('"', '""')}"`;
};

/** One CSV with every line and the totals; money as micro-dollars and as exact decimal dollars. */
export function statementCsv(s: StatementBody): string {
  const rows: (string | number)[][] = [
    [
      "section",
      "name",
      "calls",
      "input_tokens",
      "output_tokens",
      "embedding_tokens",
      "cost_micros",
      "cost_usd",
      "charge_micros",
      "charge_usd",
    ],
  ];
  const usage = (section: string, l: UsageLine) => [
    section,
    l.name,
    l.calls,
    l.input_tokens,
    l.output_tokens,
    l.embedding_tokens,
    l.cost_micros,
    formatMicros(l.cost_micros),
    l.charge_micros,
    formatMicros(l.charge_micros),
  ];
  const money = (section: string, name: string, micros: number) => [
    section,
    name,
    "",
    "",
    "",
    "",
    "",
    "",
    micros,
    formatMicros(micros),
  ];
  for (const l of s.by_model) rows.push(usage("model", l));
  for (const l of s.by_key) rows.push(usage("key", l));
  for (const p of s.subscription) {
    const period = p.period ? ` ${p.period.from.slice(0, 10)}..${p.period.to.slice(0, 10)}` : "";
    rows.push(money("subscription", `${p.plan ?? ""}${period}`, p.amount_micros));
  }
  if (s.included_credit?.used_micros)
    rows.push(money("included_credit", `${s.included_credit.calls} calls`, s.included_credit.used_micros));
  for (const t of s.top_ups) rows.push(money("top_up", t.provider ?? "", t.amount_micros));
  for (const c of s.codes) rows.push(money("code", c.id, c.amount_micros));
  for (const c of s.credits) rows.push(money("credit", c.reason, c.amount_micros));
  rows.push(money("tax", `rate ${s.tax.rate}`, s.tax.micros));
  for (const [k, v] of Object.entries(s.totals)) rows.push(money("total", k.replace(/_micros$/, ""), v));
  return `${rows.map((r) => r.map(csvCell).join(",")).join("\r\n")}\r\n`;
}

/**
 * The statement as a PDF (pdfkit, built-in Helvetica: no font files to ship). pdfkit is loaded on first
 * use: it reads its font metrics from disk, which the Workers entry (bundled with the app) must never do
 * at start; there statements are JSON and CSV only in practice.
 */
export async function statementPdf(s: StatementBody): Promise<Buffer> {
  const { default: PDFDocument } = await import("pdfkit");
  const doc = new PDFDocument({
    size: "A4",
    margin: 48,
    info: { Title: `Statement ${s.number ?? "(open)"} ${s.month}` },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on("end", () => resolve(Buffer.concat(chunks))));
  doc.fontSize(18).text("AI Hub statement");
  doc.fontSize(10).moveDown(0.5);
  doc.text(`Statement number: ${s.number ?? "open (preview, not yet closed)"}`);
  doc.text(`Organization: ${s.organization.name} (${s.organization.id})`);
  doc.text(`Month: ${s.month} (UTC)`);
  const section = (title: string, lines: string[]) => {
    doc.moveDown(0.8).fontSize(12).text(title);
    doc.fontSize(9);
    if (!lines.length) doc.text("none");
    for (const l of lines) doc.text(l);
  };
  const usageLine = (l: UsageLine) =>
    `${l.name}: ${l.calls} calls, ${l.input_tokens} in / ${l.output_tokens} out / ${l.embedding_tokens} embedding tokens, cost ${usd(l.cost_micros)}, charge ${usd(l.charge_micros)}`;
  section("Usage by model", s.by_model.map(usageLine));
  section("Usage by key", s.by_key.map(usageLine));
  section(
    "Subscription",
    s.subscription.map(
      (p) =>
        `${p.plan}${p.period ? ` (${p.period.from.slice(0, 10)} to ${p.period.to.slice(0, 10)})` : ""}: ${usd(p.amount_micros)}`,
    ),
  );
  section(
    "Included credit of the plan",
    s.included_credit?.used_micros
      ? [`Paid for ${s.included_credit.calls} calls past the quota: ${usd(s.included_credit.used_micros)}`]
      : [],
  );
  section(
    "Top-ups",
    s.top_ups.map((t) => `${t.at} ${t.provider ?? ""}: ${usd(t.amount_micros)}`),
  );
  section(
    "Redemption codes",
    s.codes.map((c) => `${c.at}: ${usd(c.amount_micros)}`),
  );
  section(
    "Credits",
    s.credits.map((c) => `${c.at} ${c.reason}: ${usd(c.amount_micros)}`),
  );
  const t = s.totals;
  section("Totals", [
    `Usage at provider cost: ${usd(t.usage_cost_micros)}`,
    `Usage charge: ${usd(t.usage_charge_micros)}`,
    `Paid from wallet: ${usd(t.wallet_debited_micros)}`,
    `Paid by included credit: ${usd(t.included_credit_micros ?? 0)}`,
    `Subscription: ${usd(t.subscription_micros)}`,
    `Top-ups: ${usd(t.top_ups_micros)}`,
    `Codes: ${usd(t.codes_micros)}`,
    `Credits: ${usd(t.credits_micros)}`,
    `Tax (rate ${s.tax.rate}): ${usd(t.tax_micros)}`,
    `Total due: ${usd(t.total_due_micros)}`,
  ]);
  doc.end();
  return done;
}
