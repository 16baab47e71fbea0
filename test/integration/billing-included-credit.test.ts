import { eq } from "drizzle-orm";
import { PDFParse } from "pdf-parse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_PLANS } from "../../src/billing/plans.js";
import { orgBilling, walletEntries } from "../../src/db/schema.js";
import { newId } from "../../src/ids.js";
import { formatMicros } from "../../src/models/cost.js";
import { creditWallet, includedLeftMicros } from "../../src/services/billing/wallet.js";
import { type AskTestApp, startAskTestApp } from "../helpers/ask-app.js";
import { type Browser, memoryMailer, signedUpPerson } from "../helpers/people.js";
import { indexDocument } from "../helpers/search-index.js";

const INCLUDED = 10_000_000;
const QUESTION = { question: "What is the capital of France?", max_tokens: 50, models: ["alpha"] };

/** A free plan with two requests a month and $10 of included credit that pays overage first. */
const plans = JSON.stringify(
  DEFAULT_PLANS.map((p) =>
    p.id === "free"
      ? {
          ...p,
          included_credit_micros: INCLUDED,
          quotas: { ...p.quotas, requests_per_month: 2 },
          markup: { default: 1.5, models: {} },
        }
      : p,
  ),
);

/**
 * The plan's included credit (issue 16): each UTC month it pays overage charges before the wallet, shows
 * on the statement as its own line, and lapses at the month's end.
 */
describe("included credit pays overage before the wallet", () => {
  let a: AskTestApp;
  let owner: Browser;
  let tenantId: string;
  let kbId: string;
  beforeAll(async () => {
    a = await startAskTestApp("pglite", {
      env: { BILLING: "on", BILLING_PLANS_JSON: plans, PASSWORD_SCRYPT_LOG_N: "12" },
    });
    const mailer = memoryMailer();
    a.t.deps.mailer = mailer;
    const p = await signedUpPerson(a.t, mailer, "included@example.com", { organization_name: "Included" });
    owner = p.browser;
    tenantId = p.orgId;
    kbId = (await owner.call("POST", "/v1/knowledge-bases", { body: { name: "Capitals", language: "en" } }))
      .body.id;
    await indexDocument(a.t.deps.database, a.fx, {
      tenantId,
      kbId,
      title: "France guide",
      chunks: [{ text: "Paris is the capital of France.", pageStart: 1 }],
    });
  }, 120_000);
  afterAll(async () => a?.close());

  const entriesOf = async (tenantId: string) =>
    (
      await a.t.deps.database.db.select().from(walletEntries).where(eq(walletEntries.tenantId, tenantId))
    ).sort((x, y) => x.id.localeCompare(y.id));
  const walletOf = async (tenantId: string) =>
    (await a.t.deps.database.db.select().from(orgBilling).where(eq(orgBilling.tenantId, tenantId)))[0]
      ?.walletMicros ?? 0;

  it("spends the month's included credit first, then the wallet, and the statement shows it", async () => {
    const g = { tenantId };
    const q = { ...QUESTION, knowledge_base_ids: [kbId], stream: false };
    const ask = () => owner.call("POST", "/v1/ask", { body: q });
    const chargeOf = (r: { body: { answers: { usage: { charge_micros: number } }[] } }) =>
      r.body.answers[0]!.usage.charge_micros;
    for (let i = 0; i < 2; i++) expect((await ask()).status).toBe(200);

    // Past the request quota with an empty wallet: the included credit pays.
    const first = await ask();
    expect(first.status).toBe(200);
    const c1 = chargeOf(first);
    expect(c1).toBeGreaterThan(0);
    let entries = await entriesOf(g.tenantId);
    expect(entries.map((e) => [e.kind, e.amountMicros, e.includedMicros])).toEqual([["usage", 0, c1]]);
    expect(await walletOf(g.tenantId)).toBe(0);
    const plan = await owner.call("GET", "/v1/billing/plan");
    expect(plan.status).toBe(200);
    expect(plan.body).toMatchObject({
      included_credit_left_micros: INCLUDED - c1,
      included_credit_left_usd: formatMicros(INCLUDED - c1),
      wallet_micros: 0,
    });

    // Earlier overage this month used all but one micro-dollar: the next call cannot be covered.
    const { db } = a.t.deps.database;
    await db.insert(walletEntries).values({
      id: newId("wal"),
      tenantId: g.tenantId,
      kind: "usage",
      amountMicros: 0,
      includedMicros: INCLUDED - c1 - 1,
      ref: `test:earlier:${g.tenantId}`,
    });
    const short = await ask();
    expect(short.status).toBe(402);
    expect(short.body.code).toBe("insufficient_funds");

    // With money in the wallet, the last micro-dollar of included credit goes first, the rest from the wallet.
    await db.transaction((tx) =>
      creditWallet(tx, {
        tenantId: g.tenantId,
        defaultPlanId: "free",
        kind: "credit",
        amountMicros: 1_000_000,
        ref: `test:fund:${g.tenantId}`,
        detail: { reason: "test" },
      }),
    );
    const second = await ask();
    expect(second.status).toBe(200);
    const c2 = chargeOf(second);
    entries = await entriesOf(g.tenantId);
    const last = entries.at(-1)!;
    expect([last.kind, last.amountMicros, last.includedMicros]).toEqual(["usage", -(c2 - 1), 1]);
    expect(await walletOf(g.tenantId)).toBe(1_000_000 - (c2 - 1));
    // The wallet still equals its entries; the included credit is not wallet money.
    expect(entries.reduce((n, e) => n + e.amountMicros, 0)).toBe(await walletOf(g.tenantId));
    expect(await includedLeftMicros(db, g.tenantId, INCLUDED, new Date())).toBe(0);
    // Next month the plan's whole included credit is there again; this month's unused part does not carry.
    const now = new Date();
    const nextMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 2));
    expect(await includedLeftMicros(db, g.tenantId, INCLUDED, nextMonth)).toBe(INCLUDED);

    // The statement: its own line, in JSON, CSV and PDF.
    const month = now.toISOString().slice(0, 7);
    const used = INCLUDED - c1 - 1 + c1 + 1;
    const json = await owner.call("GET", `/v1/billing/statements/${month}`);
    expect(json.status).toBe(200);
    expect(json.body.included_credit).toMatchObject({
      calls: 3,
      used_micros: used,
      used_usd: formatMicros(used),
    });
    expect(json.body.totals).toMatchObject({
      included_credit_micros: used,
      wallet_debited_micros: c2 - 1,
    });
    const csv = await a.t.app.request(`/v1/billing/statements/${month}?format=csv`, {
      headers: { cookie: owner.cookie! },
    });
    expect(await csv.text()).toContain(
      `"included_credit","3 calls","","","","","","","${used}","${formatMicros(used)}"`,
    );
    const pdf = await a.t.app.request(`/v1/billing/statements/${month}?format=pdf`, {
      headers: { cookie: owner.cookie! },
    });
    const parser = new PDFParse({ data: new Uint8Array(await pdf.arrayBuffer()) });
    const text = (await parser.getText()).text;
    await parser.destroy();
    expect(text).toContain(`Paid by included credit: $${formatMicros(used)}`);
  }, 120_000);
});
