/**
 * Offline tuning of the extractive answerer on sources the product retrieved (written by
 * `npm run eval -- --answers --dump-cases DIR`): replays every question through extractiveDecision with
 * other parameters, without re-ingesting anything.
 *   npx tsx test/eval/answers/tune.ts --cases DIR --dataset SQUAD.json [--templates DIR] [--params JSON]
 * Reports fold 0 (even articles: the only fold tuning looks at) and fold 1 (odd: reported, not tuned on);
 * with --templates, the same for the solution templates' cases (written by templates.ts).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import {
  type AnswerParams,
  DEFAULT_ANSWER_PARAMS,
  extractiveDecision,
} from "../../../src/models/extractive/answer.js";
import type { RetrievedCase } from "./ask.js";
import { foldOf, loadGoldSet } from "./gold.js";
import { containsGold, countSentences } from "./metrics.js";
import type { TemplateGold } from "./templates.js";

export function readCases(dir: string, name: string): RetrievedCase[] {
  const file = join(dir, `${name}.jsonl`);
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as RetrievedCase);
}

export interface TuneScores {
  paragraph: { recall: number; sentences: number; abstained: number };
  article: { recall: number; sentences: number; abstained: number };
  /** Held-out knowledge base of this fold: answerable abstained, out-of-domain abstained. */
  heldOut: { answerableAbstained: number; oodAbstained: number };
  foreignAbstained: number | null;
}

/** Answer recall, sentences per answer and abstention over cases, as /v1/ask would give them. */
export function answerScore(cases: RetrievedCase[], gold: Map<string, string[]>, p: AnswerParams) {
  let hits = 0;
  let sentences = 0;
  let given = 0;
  for (const c of cases) {
    const r = extractiveDecision(c.question, c.sources, p);
    if (!r.answerable) continue;
    given++;
    sentences += countSentences(r.text);
    if (containsGold(r.text, gold.get(c.questionId) ?? [])) hits++;
  }
  const n = Math.max(1, cases.length);
  return { recall: hits / n, sentences: sentences / Math.max(1, given), abstained: 1 - given / n };
}

const abstainedShare = (cases: RetrievedCase[], p: AnswerParams) =>
  cases.filter((c) => !extractiveDecision(c.question, c.sources, p).answerable).length /
  Math.max(1, cases.length);

export function scoreFold(dir: string, datasetPath: string, fold: 0 | 1, p: AnswerParams): TuneScores {
  const set = loadGoldSet(datasetPath, "tune");
  const gold = new Map(set.questions.map((q) => [q.id, q.answers]));
  const foldOfQ = new Map(set.questions.map((q) => [q.id, foldOf(q.article)]));
  const inFold = (cs: RetrievedCase[]) => cs.filter((c) => foldOfQ.get(c.questionId) === fold);
  const foreign = readCases(dir, "foreign");
  return {
    paragraph: answerScore(inFold(readCases(dir, "paragraph")), gold, p),
    article: answerScore(inFold(readCases(dir, "article")), gold, p),
    heldOut: {
      answerableAbstained: abstainedShare(readCases(dir, `heldout${fold}-own`), p),
      oodAbstained: abstainedShare(readCases(dir, `heldout${fold}-ood`), p),
    },
    foreignAbstained: foreign.length ? abstainedShare(foreign, p) : null,
  };
}

/**
 * Replays the solution templates' cases of one language and fold: own questions abstained (false
 * abstentions), golden answers found, out-of-domain questions abstained.
 */
export function scoreTemplates(dir: string, lang: "en" | "zh", fold: 0 | 1, p: AnswerParams) {
  const { own, ood, gold } = readTemplateCases(dir, lang, fold);
  const golden = own.filter((c) => gold.answers[c.questionId]);
  return {
    ownAbstained: abstainedShare(own, p),
    own: own.length,
    goldenRecall: answerScore(golden, new Map(Object.entries(gold.answers)), p).recall,
    oodAbstained: abstainedShare(ood, p),
  };
}

/** One language's template cases of one fold (templates.ts dumps): own questions and out-of-domain ones. */
export function readTemplateCases(dir: string | undefined, lang: "en" | "zh", fold: 0 | 1) {
  if (!dir) return { own: [], ood: [], gold: { answers: {}, fold: {}, language: {} } as TemplateGold };
  const gold = JSON.parse(readFileSync(join(dir, "templates-gold.json"), "utf8")) as TemplateGold;
  const mine = (c: RetrievedCase) => gold.language[c.questionId] === lang && gold.fold[c.questionId] === fold;
  return {
    own: readCases(dir, "templates-own").filter(mine),
    ood: readCases(dir, "templates-ood").filter(mine),
    gold,
  };
}

function main() {
  const { values } = parseArgs({
    options: {
      cases: { type: "string" },
      dataset: { type: "string" },
      params: { type: "string" },
      templates: { type: "string" },
    },
  });
  if (!values.cases || !values.dataset) throw new Error("--cases DIR and --dataset SQUAD.json are required");
  const p: AnswerParams = { ...DEFAULT_ANSWER_PARAMS, ...(values.params ? JSON.parse(values.params) : {}) };
  for (const fold of [0, 1] as const) {
    console.log(`fold ${fold}`, JSON.stringify(scoreFold(values.cases, values.dataset, fold, p)));
  }
  if (values.templates) {
    for (const lang of ["en", "zh"] as const)
      for (const fold of [0, 1] as const)
        console.log(
          `templates ${lang} fold ${fold}`,
          JSON.stringify(scoreTemplates(values.templates, lang, fold, p)),
        );
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
