import { boolean, index, integer, pgTable, text } from "drizzle-orm/pg-core";
import { created, micros } from "./columns.js";

/** What calls used and cost (the ledger), and money held for calls in flight. */
export const usageLedger = pgTable(
  "usage_ledger",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    keyId: text("key_id"),
    requestId: text("request_id"),
    /** chat | embedding */
    kind: text("kind").notNull(),
    kbIds: text("kb_ids").array().notNull().default([]),
    model: text("model").notNull(),
    inputTokens: integer("input_tokens").notNull().default(0),
    outputTokens: integer("output_tokens").notNull().default(0),
    cachedInputTokens: integer("cached_input_tokens").notNull().default(0),
    embeddingTokens: integer("embedding_tokens").notNull().default(0),
    costMicros: micros("cost_micros").notNull().default(0),
    /** What the customer is charged: costMicros × the plan's markup for the model (issue 16; 1.0 by default). */
    chargeMicros: micros("charge_micros").notNull().default(0),
    /** provider | estimated */
    usageSource: text("usage_source").notNull(),
    latencyMs: integer("latency_ms"),
    ttftMs: integer("ttft_ms"),
    /** ok | failed | aborted | cut_off */
    status: text("status").notNull(),
    errorCode: text("error_code"),
    /**
     * Set only when the provider reported more output tokens than the call's max_tokens: what it
     * reported. outputTokens (and the cost) are capped at max_tokens; this flags the discrepancy (issue 10).
     */
    reportedOutputTokens: integer("reported_output_tokens"),
    /** How much the call cost beyond what was reserved for it (prompt undercounted): budget overshoot (issue 10). */
    overReservationMicros: micros("over_reservation_micros").notNull().default(0),
    /**
     * The client's Idempotency-Key (issue 17): a retried ask carrying it is charged once per model; the
     * retry's row keeps its provider cost with a charge of 0 (services/budgets/settle.ts).
     */
    idempotencyKey: text("idempotency_key"),
    createdAt: created(),
  },
  (t) => [
    index("ledger_tenant_time_idx").on(t.tenantId, t.createdAt),
    index("ledger_key_idx").on(t.keyId),
    index("ledger_idempotency_idx").on(t.tenantId, t.idempotencyKey),
  ],
);

/** Money held for calls in flight, so concurrent calls cannot overspend a budget together. */
export const budgetReservations = pgTable(
  "budget_reservations",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    keyId: text("key_id"),
    amountMicros: micros("amount_micros").notNull(),
    /** Held against the prepaid wallet (a call past its plan's quota), not only against budgets. */
    wallet: boolean("wallet").notNull().default(false),
    createdAt: created(),
  },
  (t) => [index("reservations_tenant_idx").on(t.tenantId)],
);
