import { appendFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ingestCorpus } from "../ingest-run.js";
import type { ProductApi } from "../product.js";
import { percentile } from "../queries.js";
import type { EvalDoc } from "../tune/datasets.js";
import { askAll, type RetrievedCase } from "./ask.js";
import { articleDocs, foldOf, type GoldQuestion, type GoldSet } from "./gold.js";
import { type AnswerScore, type AskedAnswer, scoreAnswers } from "./metrics.js";

/** A score for all questions and for each article fold (fold 0 = development fold, see gold.ts). */
export interface FoldedScore {
  all: AnswerScore;
  fold0: AnswerScore;
  fold1: AnswerScore;
}

export interface AbstentionScore {
  /** Knowledge base of one fold's paragraphs; out-of-domain = the other fold's questions. */
  heldOut: { fold: 0 | 1; answerableAbstained: number; oodAbstained: number; ood: number }[];
  /** Questions of another dataset asked of the per-paragraph knowledge base. */
  foreign?: { name: string; questions: number; abstained: number };
}

export interface AnswerReport {
  perParagraph: FoldedScore;
  perArticle: FoldedScore;
  abstention: AbstentionScore;
}

export interface AnswerEvalOptions {
  limitQueries?: number;
  foreign?: { name: string; questions: { id: string; text: string }[] };
  /** Writes each setting's retrieved sources as JSONL here, for test/eval/answers/tune.ts. */
  dumpDir?: string;
  log: (line: string) => void;
}

async function kbFor(api: ProductApi, docs: EvalDoc[], log: (l: string) => void) {
  const ingest = await ingestCorpus(api, docs, { kb: {}, timeoutMs: 30 * 60_000, log });
  return { kbId: ingest.kb.kbId, key: ingest.queryKey };
}

function folded(answers: AskedAnswer[], questions: GoldQuestion[]): FoldedScore {
  const gold = new Map(questions.map((q) => [q.id, q.answers]));
  const fold = new Map(questions.map((q) => [q.id, foldOf(q.article)]));
  const score = (xs: AskedAnswer[]) => scoreAnswers(xs, gold, percentile);
  return {
    all: score(answers),
    fold0: score(answers.filter((a) => fold.get(a.questionId) === 0)),
    fold1: score(answers.filter((a) => fold.get(a.questionId) === 1)),
  };
}

function keeper(dir: string | undefined, name: string): ((c: RetrievedCase) => void) | undefined {
  if (!dir) return undefined;
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.jsonl`);
  writeFileSync(file, "");
  return (c) => appendFileSync(file, `${JSON.stringify(c)}\n`);
}

/**
 * Answer quality through POST /v1/ask with the default (offline extractive) model: per paragraph, per
 * article, and abstention on questions the knowledge base cannot answer.
 */
export async function runAnswerEval(
  api: ProductApi,
  set: GoldSet,
  o: AnswerEvalOptions,
): Promise<AnswerReport> {
  const questions = o.limitQueries ? set.questions.slice(0, o.limitQueries) : set.questions;
  const log = o.log;

  const para = await kbFor(api, set.paragraphs, log);
  const perParagraphAnswers = await askAll(api, { ...para, questions, keep: keeper(o.dumpDir, "paragraph") });
  log(`answers per paragraph: ${questions.length} questions`);

  const art = await kbFor(api, articleDocs(set), log);
  const perArticleAnswers = await askAll(api, { ...art, questions, keep: keeper(o.dumpDir, "article") });
  log(`answers per article: ${questions.length} questions`);

  const heldOut: AbstentionScore["heldOut"] = [];
  for (const fold of [0, 1] as const) {
    const kb = await kbFor(
      api,
      set.paragraphs.filter((p) => foldOf(p.article) === fold),
      log,
    );
    const own = questions.filter((q) => foldOf(q.article) === fold);
    const other = questions.filter((q) => foldOf(q.article) !== fold);
    const ownAnswers = await askAll(api, {
      ...kb,
      questions: own,
      keep: keeper(o.dumpDir, `heldout${fold}-own`),
    });
    const oodAnswers = await askAll(api, {
      ...kb,
      questions: other,
      keep: keeper(o.dumpDir, `heldout${fold}-ood`),
    });
    heldOut.push({
      fold,
      answerableAbstained: ownAnswers.filter((a) => !a.answerable).length / Math.max(1, own.length),
      oodAbstained: oodAnswers.filter((a) => !a.answerable).length / Math.max(1, other.length),
      ood: other.length,
    });
    log(`held-out fold ${fold}: ${own.length} answerable, ${other.length} out-of-domain questions`);
  }

  let foreign: AbstentionScore["foreign"];
  if (o.foreign) {
    const answers = await askAll(api, {
      ...para,
      questions: o.foreign.questions,
      keep: keeper(o.dumpDir, "foreign"),
    });
    foreign = {
      name: o.foreign.name,
      questions: answers.length,
      abstained: answers.filter((a) => !a.answerable).length / Math.max(1, answers.length),
    };
    log(`foreign questions (${o.foreign.name}): ${answers.length}`);
  }
  return {
    perParagraph: folded(perParagraphAnswers, questions),
    perArticle: folded(perArticleAnswers, questions),
    abstention: { heldOut, ...(foreign ? { foreign } : {}) },
  };
}
