import { and, desc, eq, lt } from "drizzle-orm";
import type { ServiceCtx } from "../../context.js";
import { evalRuns } from "../../db/schema.js";
import { NotFoundError } from "../errors.js";
import { loadVisibleKb } from "../knowledge-bases/get.js";
import type { EvalRunRow } from "./run.js";

/** Past runs of a knowledge base's golden set, newest first (ids are time-ordered). */
export async function listEvalRuns({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { kbId: string; limit: number; cursor?: string };
}): Promise<{ items: EvalRunRow[]; nextCursor: string | null }> {
  const { db } = ctx.deps.database;
  const kb = await loadVisibleKb(db, ctx, input.kbId);
  const conds = [eq(evalRuns.tenantId, ctx.auth.tenantId), eq(evalRuns.kbId, kb.id)];
  if (input.cursor) conds.push(lt(evalRuns.id, input.cursor));
  const rows = await db
    .select()
    .from(evalRuns)
    .where(and(...conds))
    .orderBy(desc(evalRuns.id))
    .limit(input.limit + 1);
  const items = rows.slice(0, input.limit);
  return { items, nextCursor: rows.length > input.limit ? items[items.length - 1]!.id : null };
}

export async function getEvalRun({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { kbId: string; runId: string };
}): Promise<EvalRunRow> {
  const { db } = ctx.deps.database;
  const kb = await loadVisibleKb(db, ctx, input.kbId);
  const [row] = await db
    .select()
    .from(evalRuns)
    .where(
      and(eq(evalRuns.tenantId, ctx.auth.tenantId), eq(evalRuns.kbId, kb.id), eq(evalRuns.id, input.runId)),
    )
    .limit(1);
  if (!row) throw new NotFoundError("Eval run", input.runId);
  return row;
}
