import { index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex } from "drizzle-orm/pg-core";
import { created, micros, ts } from "./columns.js";
import { tenants } from "./tenancy-schema.js";

/** Billing tables (issue 16): plans chosen, wallet, redemption codes, payment events, statements. */

/** One row per organization that ever touched billing; absent = the default plan with an empty wallet. */
export const orgBilling = pgTable("org_billing", {
  tenantId: text("tenant_id")
    .primaryKey()
    .references(() => tenants.id, { onDelete: "cascade" }),
  planId: text("plan_id").notNull(),
  /** active | past_due */
  status: text("status").notNull().default("active"),
  pastDueSince: ts("past_due_since"),
  /** Prepaid balance; only changed together with a wallet_entries row, under the tenant lock. */
  walletMicros: micros("wallet_micros").notNull().default(0),
  stripeCustomerId: text("stripe_customer_id"),
  stripeSubscriptionId: text("stripe_subscription_id"),
  /** Creation time (at the provider) of the last subscription event applied: older events are ignored. */
  subscriptionEventAt: ts("subscription_event_at"),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

/** Every change of a wallet: top-ups, codes, credits (positive) and usage debits (negative). */
export const walletEntries = pgTable(
  "wallet_entries",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    /** usage | top_up | code | credit */
    kind: text("kind").notNull(),
    amountMicros: micros("amount_micros").notNull(),
    /**
     * Usage entries only: the part of the call's charge the plan's included credit paid (not the wallet).
     * Summed per UTC month, it is what is left of the month's included credit.
     */
    includedMicros: micros("included_micros").notNull().default(0),
    /** What caused it (ledger row, payment id, code id); unique, so a payment is never credited twice. */
    ref: text("ref"),
    detail: jsonb("detail").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: created(),
  },
  (t) => [
    index("wallet_entries_tenant_idx").on(t.tenantId, t.id),
    uniqueIndex("wallet_entries_ref_idx").on(t.ref),
  ],
);

/** Redemption codes: only the sha256 is stored; the plain code is shown once, at generation. */
export const redemptionCodes = pgTable(
  "redemption_codes",
  {
    id: text("id").primaryKey(),
    batchId: text("batch_id").notNull(),
    codeHash: text("code_hash").notNull(),
    amountMicros: micros("amount_micros").notNull(),
    expiresAt: ts("expires_at"),
    redeemedTenantId: text("redeemed_tenant_id"),
    redeemedAt: ts("redeemed_at"),
    createdAt: created(),
  },
  (t) => [
    uniqueIndex("redemption_codes_hash_idx").on(t.codeHash),
    index("redemption_codes_batch_idx").on(t.batchId),
  ],
);

/** Requests (search, ask, chat) per organization per UTC month, for the requests quota. */
export const usageCounters = pgTable(
  "usage_counters",
  {
    tenantId: text("tenant_id").notNull(),
    /** YYYY-MM (UTC) */
    month: text("month").notNull(),
    requests: integer("requests").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.month] })],
);

/** Provider events already applied (Stripe event ids, Alipay notify ids): redelivery is a no-op. */
export const paymentEvents = pgTable("payment_events", {
  id: text("id").primaryKey(),
  provider: text("provider").notNull(),
  type: text("type").notNull(),
  tenantId: text("tenant_id"),
  createdAt: created(),
});

/** Payments started by an organization (Checkout sessions, Alipay orders), completed by their event. */
export const payments = pgTable(
  "payments",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    provider: text("provider").notNull(),
    /** top_up | subscription */
    purpose: text("purpose").notNull(),
    planId: text("plan_id"),
    amountMicros: micros("amount_micros").notNull().default(0),
    /** The provider's id (checkout session, out_trade_no). */
    externalId: text("external_id"),
    /** pending | paid | failed */
    status: text("status").notNull().default("pending"),
    /** The service period a subscription payment pays for (a Stripe invoice's period); null for top-ups. */
    periodStart: ts("period_start"),
    periodEnd: ts("period_end"),
    createdAt: created(),
    paidAt: ts("paid_at"),
  },
  (t) => [index("payments_tenant_idx").on(t.tenantId, t.id), index("payments_external_idx").on(t.externalId)],
);

/** Monthly statements: numbered per platform, immutable once closed (the migration installs a trigger). */
export const statements = pgTable(
  "statements",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    /** "ST-2026-11-000001": year, month and a platform-wide sequence. */
    number: text("number").notNull(),
    /** YYYY-MM (UTC) */
    month: text("month").notNull(),
    /** The whole statement (lines and totals) as rendered; never recomputed once closed. */
    body: jsonb("body").$type<Record<string, unknown>>().notNull(),
    closedAt: ts("closed_at").notNull(),
    createdAt: created(),
  },
  (t) => [
    uniqueIndex("statements_number_idx").on(t.number),
    uniqueIndex("statements_org_month_idx").on(t.tenantId, t.month),
  ],
);
