/**
 * Parameter sweep for the extractive answerer on dumped cases (see tune.ts), fold 0 only:
 *   npx tsx test/eval/answers/sweep.ts --cases DIR --dataset SQUAD.json --lang en|zh [--grid JSON]
 * For each parameter setting: recall and sentences per answer with abstention off, then the evidence
 * threshold that keeps false abstentions (answerable questions of the held-out fold-0 knowledge base)
 * at or under 2%, and the share of out-of-domain questions it abstains at that threshold.
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

const read = (dir: string, name: string): RetrievedCase[] =>
  existsSync(join(dir, `${name}.jsonl`))
    ? readFileSync(join(dir, `${name}.jsonl`), "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l))
    : [];

const { values } = parseArgs({
  options: {
    cases: { type: "string" },
    dataset: { type: "string" },
    grid: { type: "string" },
    fold: { type: "string", default: "0" },
  },
});
const fold = Number(values.fold) as 0 | 1;
const set = loadGoldSet(values.dataset!, "s");
const gold = new Map(set.questions.map((q) => [q.id, q.answers]));
const qFold = new Map(set.questions.map((q) => [q.id, foldOf(q.article)]));
const inFold = (cs: RetrievedCase[]) => cs.filter((c) => qFold.get(c.questionId) === fold);
const paragraph = inFold(read(values.cases!, "paragraph"));
const article = inFold(read(values.cases!, "article"));
const own = read(values.cases!, `heldout${fold}-own`);
const ood = read(values.cases!, `heldout${fold}-ood`);
const foreign = read(values.cases!, "foreign");

const open = (p: AnswerParams): AnswerParams => ({
  ...p,
  learnedAbstention: false,
  minEvidence: { en: -1, zh: -1 },
  minEvidenceMissingName: -1,
});
const abstains = (cases: RetrievedCase[], p: AnswerParams) =>
  +(
    cases.filter((c) => !extractiveDecision(c.question, c.sources, p).answerable).length /
    Math.max(1, cases.length)
  ).toFixed(3);

function answers(cases: RetrievedCase[], p: AnswerParams) {
  let hit = 0;
  let sentences = 0;
  for (const c of cases) {
    const r = extractiveDecision(c.question, c.sources, open(p));
    sentences += countSentences(r.text);
    if (containsGold(r.text, gold.get(c.questionId) ?? [])) hit++;
  }
  return { recall: +(hit / cases.length).toFixed(4), sentences: +(sentences / cases.length).toFixed(3) };
}

const evidence = (cases: RetrievedCase[], p: AnswerParams) =>
  cases.map((c) => extractiveDecision(c.question, c.sources, open(p)).evidence).sort((a, b) => a - b);

const grid: Partial<AnswerParams>[] = values.grid ? JSON.parse(values.grid) : [{}];
for (const g of grid) {
  // The evidence thresholds are what this sweep calibrates, so the learned abstention model stays out of it.
  const p = { ...DEFAULT_ANSWER_PARAMS, learnedAbstention: false, ...g };
  const ans = evidence([...own, ...paragraph], p);
  const theta = ans[Math.floor(ans.length * 0.02)] ?? 0;
  const oodEv = evidence(ood, p);
  const forEv = evidence(foreign, p);
  const share = (xs: number[]) => +(xs.filter((x) => x < theta).length / Math.max(1, xs.length)).toFixed(3);
  console.log(
    JSON.stringify(g),
    JSON.stringify({
      paragraph: answers(paragraph, p),
      article: answers(article, p),
      theta2pct: +theta.toFixed(3),
      oodAbstained: share(oodEv),
      foreignAbstained: forEv.length ? share(forEv) : null,
      asConfigured: {
        answerableAbstained: abstains([...own, ...paragraph], p),
        oodAbstained: abstains(ood, p),
        foreignAbstained: foreign.length ? abstains(foreign, p) : null,
      },
    }),
  );
}
