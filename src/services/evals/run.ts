import type { ServiceCtx } from "../../context.js";
import { evalRuns } from "../../db/schema.js";
import { newId } from "../../ids.js";
import type { QueryMode } from "../../vector/types.js";
import { ConflictError } from "../errors.js";
import { loadVisibleKb } from "../knowledge-bases/get.js";
import { searchChunks } from "../search/search.js";
import { allEvalQuestions } from "./questions.js";
import { averageMetrics, type QuestionScore, scoreQuestion } from "./scoring.js";

export type EvalRunRow = typeof evalRuns.$inferSelect;

export interface EvalMiss {
  question_id: string;
  question: string;
  expected: { document_id: string; pages?: number[] }[];
  /** Per expected entry, the rank that found it (null: not in the results). */
  found_ranks: (number | null)[];
  top: {
    document_id: string;
    title: string;
    page_start: number | null;
    page_end: number | null;
    score: number;
    text: string;
  }[];
}

export const EVAL_RUN_DEFAULTS = { mode: "hybrid" as QueryMode, topK: 10 };
/** A question is a miss when an expected entry is not within this many results (or top_k if fewer). */
export const MISS_CUTOFF = 10;
const EXCERPT_CHARS = 240;

/**
 * Runs a knowledge base's golden questions through the search service with its current settings
 * (chunking, embedder, fusion), scores them and stores the run, so runs before and after a change
 * can be compared. Searches are billed like any other query.
 */
export async function runGoldenSet({
  ctx,
  input,
  signal,
}: {
  ctx: ServiceCtx;
  input: { kbId: string; mode?: QueryMode; topK?: number };
  signal?: AbortSignal;
}): Promise<EvalRunRow> {
  const { db } = ctx.deps.database;
  const kb = await loadVisibleKb(db, ctx, input.kbId);
  const questions = await allEvalQuestions(ctx, kb.id);
  if (questions.length === 0) {
    throw new ConflictError(
      `Knowledge base ${kb.id} has no eval questions yet. Add some with POST /v1/knowledge-bases/${kb.id}/evals.`,
    );
  }
  const mode = input.mode ?? EVAL_RUN_DEFAULTS.mode;
  const topK = input.topK ?? EVAL_RUN_DEFAULTS.topK;
  const cutoff = Math.min(MISS_CUTOFF, topK);

  const scores: QuestionScore[] = [];
  const misses: EvalMiss[] = [];
  for (const q of questions) {
    signal?.throwIfAborted();
    const result = await searchChunks({
      ctx,
      input: { query: q.question, kbIds: [kb.id], topK, mode },
      ...(signal ? { signal } : {}),
    });
    const score = scoreQuestion(q.expected, result.chunks);
    scores.push(score);
    if (score.ranks.some((r) => r === null || r > cutoff)) {
      misses.push({
        question_id: q.id,
        question: q.question,
        expected: q.expected.map((e) => ({
          document_id: e.documentId,
          ...(e.pages ? { pages: e.pages } : {}),
        })),
        found_ranks: score.ranks,
        top: result.chunks.slice(0, 3).map((c) => ({
          document_id: c.documentId,
          title: c.title,
          page_start: c.pageStart,
          page_end: c.pageEnd,
          score: c.score,
          text: c.text.length > EXCERPT_CHARS ? `${c.text.slice(0, EXCERPT_CHARS)}...` : c.text,
        })),
      });
    }
  }

  const settings = {
    mode,
    top_k: topK,
    miss_cutoff: cutoff,
    embedder: ctx.deps.embedder?.id ?? null,
    chunk_size: kb.chunkSize,
    chunk_overlap: kb.chunkOverlap,
    ...(ctx.deps.embedder?.fusion ? { fusion: { ...ctx.deps.embedder.fusion } } : {}),
  };
  const [row] = await db
    .insert(evalRuns)
    .values({
      id: newId("evr"),
      tenantId: ctx.auth.tenantId,
      kbId: kb.id,
      mode,
      settings,
      metrics: { ...averageMetrics(scores) },
      misses,
      questions: questions.length,
    })
    .returning();
  return row!;
}
