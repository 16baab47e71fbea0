import { sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { preparedPerDb } from "../../db/prepared.js";
import { usageLedger } from "../../db/schema.js";
import { newId } from "../../ids.js";

export type LedgerStatus = "ok" | "failed" | "aborted" | "cut_off";

export interface LedgerEntry {
  /** Chosen by the caller when it may retry the write: the same id is inserted at most once. */
  id?: string;
  tenantId: string;
  keyId: string | null;
  requestId?: string | null;
  kind: "chat" | "embedding";
  kbIds?: string[];
  model: string;
  inputTokens?: number;
  outputTokens?: number;
  cachedInputTokens?: number;
  embeddingTokens?: number;
  /** Integer micro-dollars, computed by models/cost.ts; never a float sum. */
  costMicros: number;
  /** The customer's charge (cost × the plan's markup, issue 16); defaults to the cost (markup 1.0). */
  chargeMicros?: number;
  usageSource: "provider" | "estimated";
  latencyMs?: number | null;
  ttftMs?: number | null;
  status: LedgerStatus;
  errorCode?: string | null;
  /** The provider's output count when it exceeded max_tokens (outputTokens is then capped). */
  reportedOutputTokens?: number | null;
  /** Cost beyond the call's reservation. */
  overReservationMicros?: number;
  /** The client's Idempotency-Key, when the request carried one. */
  idempotencyKey?: string | null;
}

/** One row per model call (chat or embedding), written whether the call succeeded, failed or was aborted. */
export async function recordUsage(db: Db, e: LedgerEntry): Promise<string> {
  const row = ledgerRow(e);
  await db.insert(usageLedger).values(row);
  return row.id;
}

/**
 * Inserts the row unless a row with its id exists; says whether it inserted. A write retried after an
 * ambiguous failure (the commit may have happened before the connection broke) never counts twice.
 */
export async function recordUsageOnce(db: Db, e: LedgerEntry & { id: string }): Promise<boolean> {
  const inserted = await insertOnce(db).execute(ledgerRow(e));
  return inserted.length > 0;
}

/** A ledger row as written: every column but created_at (the database's clock). */
type LedgerRow = Required<Omit<typeof usageLedger.$inferInsert, "createdAt">>;

/** Every column, each bound by name: one statement text whatever the entry. A Record, so none is missed. */
const LEDGER_COLUMNS = Object.keys({
  id: true,
  tenantId: true,
  keyId: true,
  requestId: true,
  kind: true,
  kbIds: true,
  model: true,
  inputTokens: true,
  outputTokens: true,
  cachedInputTokens: true,
  embeddingTokens: true,
  costMicros: true,
  chargeMicros: true,
  usageSource: true,
  latencyMs: true,
  ttftMs: true,
  status: true,
  errorCode: true,
  reportedOutputTokens: true,
  overReservationMicros: true,
  idempotencyKey: true,
} satisfies Record<keyof LedgerRow, true>);

// Every model call writes one (settleCall), so it is built once per database (db/prepared.ts).
const insertOnce = preparedPerDb((db: Db) =>
  db
    .insert(usageLedger)
    .values(
      Object.fromEntries(
        LEDGER_COLUMNS.map((k) => [k, sql.placeholder(k)]),
      ) as unknown as typeof usageLedger.$inferInsert,
    )
    .onConflictDoNothing({ target: usageLedger.id })
    .returning({ id: usageLedger.id })
    .prepare("ledger_insert_once"),
);

/**
 * Several rows in one INSERT (the batch ingestion pipeline: one row per document version of one
 * shared embedding call, each with its own share of the tokens and cost).
 */
export async function recordUsages(db: Db, entries: LedgerEntry[]): Promise<string[]> {
  if (entries.length === 0) return [];
  const rows = entries.map(ledgerRow);
  await db.insert(usageLedger).values(rows);
  return rows.map((r) => r.id);
}

function ledgerRow(e: LedgerEntry): LedgerRow {
  if (!Number.isSafeInteger(e.costMicros))
    throw new Error(`costMicros must be an integer, got ${e.costMicros}`);
  return {
    id: e.id ?? newId("use"),
    tenantId: e.tenantId,
    keyId: e.keyId,
    requestId: e.requestId ?? null,
    kind: e.kind,
    kbIds: e.kbIds ?? [],
    model: e.model,
    inputTokens: e.inputTokens ?? 0,
    outputTokens: e.outputTokens ?? 0,
    cachedInputTokens: e.cachedInputTokens ?? 0,
    embeddingTokens: e.embeddingTokens ?? 0,
    costMicros: e.costMicros,
    chargeMicros: e.chargeMicros ?? e.costMicros,
    usageSource: e.usageSource,
    latencyMs: e.latencyMs ?? null,
    ttftMs: e.ttftMs ?? null,
    status: e.status,
    errorCode: e.errorCode ?? null,
    reportedOutputTokens: e.reportedOutputTokens ?? null,
    overReservationMicros: e.overReservationMicros ?? 0,
    idempotencyKey: e.idempotencyKey ?? null,
  };
}
