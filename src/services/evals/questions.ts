import { and, asc, count, eq, inArray } from "drizzle-orm";
import type { ServiceCtx } from "../../context.js";
import { keysetPage, type PageInput } from "../../db/paging.js";
import { documents, evalQuestions } from "../../db/schema.js";
import { newId } from "../../ids.js";
import { ConflictError, NotFoundError, ValidationError } from "../errors.js";
import { loadVisibleKb } from "../knowledge-bases/get.js";

export type EvalQuestionRow = typeof evalQuestions.$inferSelect;

export interface ExpectedDocument {
  documentId: string;
  /** 1-based pages; when given, only chunks on one of these pages count as found. */
  pages?: number[];
}

export interface NewEvalQuestion {
  question: string;
  expected: ExpectedDocument[];
}

/** A golden set is run question by question through search; this keeps a run to a bounded cost. */
export const EVAL_LIMITS = { questionsPerKb: 1000, questionsPerRequest: 200 } as const;

/**
 * Adds questions to a knowledge base's golden set. Every expected document must be in this knowledge
 * base (a typo or another knowledge base's id would make every run report a miss that is not one).
 */
export async function createEvalQuestions({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { kbId: string; questions: NewEvalQuestion[] };
}): Promise<EvalQuestionRow[]> {
  const { db } = ctx.deps.database;
  const kb = await loadVisibleKb(db, ctx, input.kbId);
  const ids = [...new Set(input.questions.flatMap((q) => q.expected.map((e) => e.documentId)))];
  const found = ids.length
    ? await db
        .select({ id: documents.id })
        .from(documents)
        .where(
          and(
            eq(documents.tenantId, ctx.auth.tenantId),
            eq(documents.kbId, kb.id),
            inArray(documents.id, ids),
          ),
        )
    : [];
  const known = new Set(found.map((r) => r.id));
  const errors = input.questions.flatMap((q, i) =>
    q.expected.flatMap((e, j) =>
      known.has(e.documentId)
        ? []
        : [
            {
              field: `questions.${i}.expected.${j}.document_id`,
              message: `no document ${e.documentId} in ${kb.id}`,
            },
          ],
    ),
  );
  if (errors.length) {
    throw new ValidationError(
      `Expected documents must belong to knowledge base ${kb.id}: ${errors.map((e) => e.field).join(", ")}. ` +
        "List its documents with GET /v1/knowledge-bases/{id}/documents.",
      errors,
    );
  }

  return db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ n: count() })
      .from(evalQuestions)
      .where(and(eq(evalQuestions.tenantId, ctx.auth.tenantId), eq(evalQuestions.kbId, kb.id)));
    if ((existing?.n ?? 0) + input.questions.length > EVAL_LIMITS.questionsPerKb) {
      throw new ConflictError(
        `A knowledge base holds at most ${EVAL_LIMITS.questionsPerKb} eval questions (it has ${existing?.n ?? 0}). Delete some first.`,
      );
    }
    // Ids made in one millisecond only order by their random part: sorted, they keep request order.
    const ids = input.questions.map(() => newId("evq")).sort();
    const rows = input.questions.map((q, i) => ({
      id: ids[i]!,
      tenantId: ctx.auth.tenantId,
      kbId: kb.id,
      question: q.question,
      expected: q.expected.map((e) => ({
        documentId: e.documentId,
        ...(e.pages?.length ? { pages: [...new Set(e.pages)].sort((a, b) => a - b) } : {}),
      })),
    }));
    return tx.insert(evalQuestions).values(rows).returning();
  });
}

/** A page of a knowledge base's golden questions, oldest first. */
export async function listEvalQuestions({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: PageInput & { kbId: string };
}) {
  const { db } = ctx.deps.database;
  const kb = await loadVisibleKb(db, ctx, input.kbId);
  return keysetPage(db.select().from(evalQuestions).$dynamic(), input, {
    by: evalQuestions.id,
    where: [eq(evalQuestions.tenantId, ctx.auth.tenantId), eq(evalQuestions.kbId, kb.id)],
  });
}

/** Every question of a golden set, for a run. */
export async function allEvalQuestions(ctx: ServiceCtx, kbId: string): Promise<EvalQuestionRow[]> {
  return ctx.deps.database.db
    .select()
    .from(evalQuestions)
    .where(and(eq(evalQuestions.tenantId, ctx.auth.tenantId), eq(evalQuestions.kbId, kbId)))
    .orderBy(asc(evalQuestions.id));
}

export async function deleteEvalQuestion({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { kbId: string; questionId: string };
}): Promise<{ id: string; deleted: true }> {
  const { db } = ctx.deps.database;
  const kb = await loadVisibleKb(db, ctx, input.kbId);
  const rows = await db
    .delete(evalQuestions)
    .where(
      and(
        eq(evalQuestions.tenantId, ctx.auth.tenantId),
        eq(evalQuestions.kbId, kb.id),
        eq(evalQuestions.id, input.questionId),
      ),
    )
    .returning({ id: evalQuestions.id });
  if (rows.length === 0) throw new NotFoundError("Eval question", input.questionId);
  return { id: input.questionId, deleted: true };
}
