import { and, count, desc, eq } from "drizzle-orm";
import type { ServiceCtx } from "../../context.js";
import { statements } from "../../db/schema.js";
import { newId } from "../../ids.js";
import { recordAudit } from "../audit/record.js";
import { ServiceError } from "../errors.js";
import { type StatementBody, statementBody } from "./statement-data.js";
import { monthKey } from "./usage.js";

/**
 * A month's statement. Past months are closed on first request: numbered (ST-YYYYMM-000042, a
 * platform-wide sequence) and stored whole, so later ledger corrections never change a statement a
 * customer has filed (the database refuses edits). The current month is an open preview, unnumbered.
 */
export async function getStatement(ctx: ServiceCtx, month: string): Promise<StatementBody> {
  const now = monthKey(new Date());
  if (month > now)
    throw new ServiceError("not_found", `No statement for ${month}: the month has not started.`);
  const { db } = ctx.deps.database;
  const tenantId = ctx.auth.tenantId;
  const taxRate = ctx.deps.config.STATEMENT_TAX_RATE;
  if (month === now) return statementBody(db, { tenantId, month, number: null, taxRate });
  const stored = await find(ctx, month);
  if (stored) return stored;
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction(async (tx) => {
        const [{ n } = { n: 0 }] = await tx.select({ n: count() }).from(statements);
        const number = `ST-${month.replace("-", "")}-${String(Number(n) + 1).padStart(6, "0")}`;
        const body = await statementBody(tx, { tenantId, month, number, taxRate });
        await tx.insert(statements).values({
          id: newId("stm"),
          tenantId,
          number,
          month,
          body: body as unknown as Record<string, unknown>,
          closedAt: new Date(),
        });
        await recordAudit(tx, {
          tenantId,
          actorKeyId: ctx.auth.keyId,
          actorUserId: ctx.auth.userId ?? null,
          action: "billing.statement.close",
          resourceType: "statement",
          resourceId: number,
          detail: { month, totalDueMicros: body.totals.total_due_micros },
          requestId: ctx.requestId,
        });
        return body;
      });
    } catch (err) {
      // Another organization took the number, or this one's statement was closed concurrently.
      const again = await find(ctx, month);
      if (again) return again;
      if (attempt >= 4) throw err;
    }
  }
}

async function find(ctx: ServiceCtx, month: string): Promise<StatementBody | null> {
  const [row] = await ctx.deps.database.db
    .select()
    .from(statements)
    .where(and(eq(statements.tenantId, ctx.auth.tenantId), eq(statements.month, month)))
    .limit(1);
  return row ? (row.body as unknown as StatementBody) : null;
}

export async function listStatements(ctx: ServiceCtx) {
  return ctx.deps.database.db
    .select({ number: statements.number, month: statements.month, closedAt: statements.closedAt })
    .from(statements)
    .where(eq(statements.tenantId, ctx.auth.tenantId))
    .orderBy(desc(statements.month));
}
