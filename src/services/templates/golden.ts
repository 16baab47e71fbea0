import type { ServiceCtx } from "../../context.js";
import type { TemplateBundle } from "../../templates/index.js";
import { collectAsk } from "../ask/collect.js";
import { prepareAsk } from "../ask/prepare.js";
import { runAsk } from "../ask/run.js";
import { searchChunks } from "../search/search.js";

export interface GoldenQuestionResult {
  question: string;
  expected_document: string;
  /** 1-based rank of the expected document among distinct documents found; null: not in top_k. */
  rank: number | null;
  found: boolean;
  answer: string;
  /** Whether the answer quotes the expected phrase. */
  answer_matches: boolean;
}

export interface GoldenResult {
  top_k: number;
  stated_recall: number;
  recall: number;
  meets_stated: boolean;
  answer_match_rate: number;
  questions: GoldenQuestionResult[];
}

/** Case-, width- and space-insensitive form, so "30 Days" matches "30 days" and CJK needs no spaces. */
const norm = (s: string) => s.normalize("NFKC").toLowerCase().replace(/\s+/g, "");

/**
 * Runs a template's golden questions against the knowledge base it just made, through the same search
 * and ask verbs `/v1/search` and `/v1/ask` use: recall is the share of questions whose expected
 * document is among the first `top_k` distinct documents; each question's answer is kept with whether
 * it quotes the expected phrase.
 */
export async function runTemplateGolden(
  ctx: ServiceCtx,
  bundle: TemplateBundle,
  kbId: string,
  documentIds: Map<string, string>,
): Promise<GoldenResult> {
  const { top_k: topK, stated_recall } = bundle.golden;
  const questions: GoldenQuestionResult[] = [];
  for (const q of bundle.golden.questions) {
    const found = await searchChunks({
      ctx,
      input: { query: q.question, kbIds: [kbId], topK, mode: "hybrid" },
    });
    const distinct = [...new Set(found.chunks.map((c) => c.documentId))];
    const at = distinct.indexOf(documentIds.get(q.expected_document) ?? "");
    const rank = at >= 0 && at < topK ? at + 1 : null;
    const answer = await ask(ctx, kbId, q.question);
    questions.push({
      question: q.question,
      expected_document: q.expected_document,
      rank,
      found: rank !== null,
      answer,
      answer_matches: norm(answer).includes(norm(q.expected_answer)),
    });
  }
  const n = questions.length;
  const recall = questions.filter((q) => q.found).length / n;
  return {
    top_k: topK,
    stated_recall,
    recall,
    meets_stated: recall >= stated_recall,
    answer_match_rate: questions.filter((q) => q.answer_matches).length / n,
    questions,
  };
}

async function ask(ctx: ServiceCtx, kbId: string, question: string): Promise<string> {
  const signal = new AbortController().signal;
  const { prepared, sources } = await prepareAsk({
    ctx,
    input: { question, kbIds: [kbId], mode: "fallback", topK: 5 },
    signal,
  });
  const collected = await collectAsk(runAsk(prepared, sources, signal));
  return collected.answers.find((a) => a.status === "ok")?.text ?? collected.answers[0]?.text ?? "";
}
