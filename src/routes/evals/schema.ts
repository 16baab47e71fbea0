import { z } from "@hono/zod-openapi";
import { EVAL_LIMITS, type EvalQuestionRow } from "../../services/evals/questions.js";
import { EVAL_RUN_DEFAULTS, type EvalMiss, type EvalRunRow, MISS_CUTOFF } from "../../services/evals/run.js";
import { isoDate } from "../common.js";
import { TOP_K } from "../search/schema.js";

const idParam = (name: string) =>
  z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name, in: "path" } });

export const QuestionIdParams = z.object({ id: idParam("id"), questionId: idParam("questionId") });
export const RunIdParams = z.object({ id: idParam("id"), runId: idParam("runId") });

const Expected = z
  .strictObject({
    document_id: z.string().min(1).max(64).openapi({ example: "doc_01jc8w7k3m9x2p4q5r6s7t8v9w" }),
    pages: z.array(z.number().int().min(1).max(100_000)).min(1).max(1000).optional().openapi({
      description: "1-based pages; when given, only chunks on one of these pages count as found.",
    }),
  })
  .openapi("EvalExpectedDocument");

const NewQuestion = z.strictObject({
  question: z.string().trim().min(1).max(4000).openapi({ example: "How do I reset the router?" }),
  expected: z
    .array(Expected)
    .min(1)
    .max(50)
    .openapi({ description: "Documents (optionally pages) a good search returns for this question." }),
});

export const CreateEvalsBody = z
  .strictObject({
    questions: z
      .array(NewQuestion)
      .min(1)
      .max(EVAL_LIMITS.questionsPerRequest)
      .openapi({
        description: `1-${EVAL_LIMITS.questionsPerRequest} questions; a knowledge base holds at most ${EVAL_LIMITS.questionsPerKb}.`,
      }),
  })
  .openapi("CreateEvalQuestions");

export const EvalQuestionSchema = z
  .object({
    id: z.string().openapi({ example: "evq_01jc8w7k3m9x2p4q5r6s7t8v9w" }),
    knowledge_base_id: z.string(),
    question: z.string(),
    expected: z.array(Expected),
    created_at: z.string(),
  })
  .openapi("EvalQuestion");

export const RunEvalBody = z
  .strictObject({
    mode: z
      .enum(["hybrid", "dense", "sparse"])
      .default(EVAL_RUN_DEFAULTS.mode)
      .openapi({ description: "Search mode (default hybrid, like /v1/search)." }),
    top_k: z
      .number()
      .int()
      .min(TOP_K.min)
      .max(TOP_K.max)
      .default(EVAL_RUN_DEFAULTS.topK)
      .openapi({ description: `Chunks retrieved per question (default ${EVAL_RUN_DEFAULTS.topK}).` }),
  })
  .openapi("RunEval");

const Metrics = z
  .object({
    recall_at_1: z.number(),
    recall_at_5: z.number(),
    recall_at_10: z.number(),
    mrr_at_10: z.number(),
    ndcg_at_10: z.number(),
  })
  .openapi("EvalMetrics", {
    description:
      "Means over questions. Ranks count distinct documents, or distinct (document, page range) chunks when a question gives pages.",
  });

const Miss = z
  .object({
    question_id: z.string(),
    question: z.string(),
    expected: z.array(Expected),
    found_ranks: z
      .array(z.number().int().nullable())
      .openapi({ description: "Per expected entry, the rank that found it; null when not retrieved." }),
    top: z
      .array(
        z.object({
          document_id: z.string(),
          title: z.string(),
          page_start: z.number().int().nullable(),
          page_end: z.number().int().nullable(),
          score: z.number(),
          text: z.string(),
        }),
      )
      .openapi({ description: "The first three chunks that came back instead." }),
  })
  .openapi("EvalMiss");

export const EvalRunSchema = z
  .object({
    id: z.string().openapi({ example: "evr_01jc8w7k3m9x2p4q5r6s7t8v9w" }),
    knowledge_base_id: z.string(),
    mode: z.string(),
    settings: z.record(z.string(), z.unknown()).openapi({
      description:
        "What the run used: mode, top_k, miss_cutoff, embedder, chunk_size, chunk_overlap, fusion.",
    }),
    questions: z.number().int(),
    metrics: Metrics,
    misses_count: z.number().int(),
    misses: z
      .array(Miss)
      .optional()
      .openapi({
        description: `Questions with an expected entry not in the top ${MISS_CUTOFF} results (or top_k). Omitted in listings.`,
      }),
    created_at: z.string(),
  })
  .openapi("EvalRun");

export function toEvalQuestion(row: EvalQuestionRow): z.infer<typeof EvalQuestionSchema> {
  return {
    id: row.id,
    knowledge_base_id: row.kbId,
    question: row.question,
    expected: row.expected.map((e) => ({
      document_id: e.documentId,
      ...(e.pages ? { pages: e.pages } : {}),
    })),
    created_at: isoDate(row.createdAt)!,
  };
}

export function toEvalRun(row: EvalRunRow, withMisses: boolean): z.infer<typeof EvalRunSchema> {
  const misses = row.misses as EvalMiss[];
  return {
    id: row.id,
    knowledge_base_id: row.kbId,
    mode: row.mode,
    settings: row.settings,
    questions: row.questions,
    metrics: row.metrics as z.infer<typeof Metrics>,
    misses_count: misses.length,
    ...(withMisses ? { misses } : {}),
    created_at: isoDate(row.createdAt)!,
  };
}
