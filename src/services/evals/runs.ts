import { and, eq } from "drizzle-orm";
import type { ServiceCtx } from "../../context.js";
import { type KeysetPage, keysetPage, type PageInput } from "../../db/paging.js";
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
  input: PageInput & { kbId: string };
}): Promise<KeysetPage<EvalRunRow>> {
  const { db } = ctx.deps.database;
  const kb = await loadVisibleKb(db, ctx, input.kbId);
  return keysetPage(db.select().from(evalRuns).$dynamic(), input, {
    by: evalRuns.id,
    order: "desc",
    where: [eq(evalRuns.tenantId, ctx.auth.tenantId), eq(evalRuns.kbId, kb.id)],
  });
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
