/**
 * Fits the extractive answerer's learned ranker and abstention model (src/models/extractive/ranker.ts)
 * on fold 0 (even-numbered articles) of dumped cases (`npm run eval -- --answers --dump-cases DIR`), and
 * reports fold 1, which fitting never sees:
 *   npx tsx test/eval/answers/train.ts --en DIR --en-dataset XQUAD.json --zh DIR --zh-dataset CMRC.json
 *     [--templates DIR] [--write]
 * - ranker: a listwise (softmax) linear model: the probability of the sentences holding the gold answer
 *   among all candidate sentences of the question is maximized, with L2;
 * - quoting: the margin within which a second sentence is quoted, the highest recall at ≤ 1.9 sentences;
 * - abstention: logistic regression, answerable questions (per paragraph and of the held-out knowledge
 *   base) against the other fold's questions asked of that knowledge base; with --templates (cases
 *   written by templates.ts), also the solution templates of fold 0 (even index): their own questions
 *   as answerable, weighted TEMPLATE_WEIGHT times (a few dozen short product documents against a
 *   thousand Wikipedia paragraphs), and the general-knowledge questions asked of them as out of domain.
 *   The threshold keeps 2.5% of fold 0's Wikipedia answerable questions abstained.
 * --write replaces src/models/extractive/ranker-weights.ts.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import {
  type AnswerParams,
  DEFAULT_ANSWER_PARAMS,
  extractiveDecision,
  isCandidate,
  rankSentences,
} from "../../../src/models/extractive/answer.js";
import {
  dot,
  type LanguageModel,
  QUESTION_FEATURES,
  type RankerModel,
} from "../../../src/models/extractive/ranker.js";
import { SENTENCE_FEATURES, scoreSentences } from "../../../src/models/extractive/score.js";
import type { RetrievedCase } from "./ask.js";
import { foldOf, loadGoldSet } from "./gold.js";
import { containsGold } from "./metrics.js";
import { answerScore, readCases, readTemplateCases, scoreTemplates } from "./tune.js";

const read = readCases;

interface Prepared {
  c: RetrievedCase;
  feats: number[][];
  labels: boolean[];
}

function prepare(c: RetrievedCase, gold: string[]): Prepared {
  const { sentences } = scoreSentences(c.question, c.sources, DEFAULT_ANSWER_PARAMS);
  const cands = sentences.filter(isCandidate);
  return { c, feats: cands.map((s) => s.features), labels: cands.map((s) => containsGold(s.text, gold)) };
}

/**
 * Where the ranker starts and what L2 pulls it back to: the hand-weighted score of earlier versions
 * (score.ts DEFAULT_SCORE_PARAMS) in log-odds units. A cue the development sets never exercise (XQuAD
 * asks no "what is X" definitions) keeps its prior weight instead of falling to zero.
 */
const PRIOR_SCALE = 4;
const PRIOR: Record<string, number> = {
  lexical: 1,
  neighbours: 0.5,
  pairs: 0.3,
  cueNumber: 0.25,
  cueName: 0.25,
  cueDefine: 0.25,
  cueShape: 0.25,
  rankPrior: 0.5,
  fragment: -0.2,
};

/** One Adam step (learning rate 0.05) of w along gradient g, with moments m and v. */
function adam(w: number[], g: number[], m: number[], v: number[], step: number) {
  for (let k = 0; k < w.length; k++) {
    m[k] = 0.9 * m[k]! + 0.1 * g[k]!;
    v[k] = 0.999 * v[k]! + 0.001 * g[k]! * g[k]!;
    const mh = m[k]! / (1 - 0.9 ** step);
    const vh = v[k]! / (1 - 0.999 ** step);
    w[k] = w[k]! - (0.05 * mh) / (Math.sqrt(vh) + 1e-8);
  }
}

/** Adam on the listwise softmax loss. */
function fitRanker(data: Prepared[], l2: number, epochs: number): number[] {
  const d = SENTENCE_FEATURES.length;
  const w0 = SENTENCE_FEATURES.map((n) => (PRIOR[n] ?? 0) * PRIOR_SCALE);
  const w = [...w0];
  const m: number[] = new Array(d).fill(0);
  const v: number[] = new Array(d).fill(0);
  const usable = data.filter((p) => p.labels.some(Boolean) && p.labels.some((x) => !x));
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const g = w.map((x, k) => 2 * l2 * (x - w0[k]!));
    for (const p of usable) {
      const s = p.feats.map((f) => dot(w, f));
      const top = Math.max(...s);
      const e = s.map((x) => Math.exp(x - top));
      const z = e.reduce((a, b) => a + b, 0);
      const zPos = e.reduce((a, b, i) => a + (p.labels[i] ? b : 0), 0);
      // d/dw of -log(zPos/z) = E_all[f] - E_pos[f]
      p.feats.forEach((f, i) => {
        const coef = e[i]! / z - (p.labels[i] ? e[i]! / zPos : 0);
        for (let k = 0; k < d; k++) g[k] = g[k]! + (coef * f[k]!) / usable.length;
      });
    }
    adam(w, g, m, v, epoch);
  }
  // A feature the data never sets (XQuAD asks no "what is X" definitions, so cueDefine is always 0 in
  // English) cannot be learned: it keeps the hand-tuned ratio to a full match of the question, in the
  // fitted scale (what a sentence holding every question term gains from the lexical features).
  const fullMatch = ["lexical", "lexical2", "coverage", "termShare", "termShareAll"].reduce(
    (sum, n) => sum + w[SENTENCE_FEATURES.indexOf(n as (typeof SENTENCE_FEATURES)[number])]!,
    0,
  );
  SENTENCE_FEATURES.forEach((n, k) => {
    if (!usable.some((p) => p.feats.some((f) => f[k] !== 0))) w[k] = (PRIOR[n] ?? 0) * fullMatch;
  });
  return w;
}

export function fitLogistic(xs: number[][], ys: number[], l2: number, epochs: number) {
  const d = xs[0]!.length;
  const w: number[] = new Array(d + 1).fill(0);
  const m: number[] = new Array(d + 1).fill(0);
  const v: number[] = new Array(d + 1).fill(0);
  const pos = ys.filter((y) => y === 1).length;
  // Both classes weigh the same whatever their counts.
  const weightOf = (y: number) => (y === 1 ? xs.length / (2 * pos) : xs.length / (2 * (xs.length - pos)));
  for (let epoch = 1; epoch <= epochs; epoch++) {
    const g = w.map((x, k) => (k < d ? 2 * l2 * x : 0));
    xs.forEach((x, i) => {
      const p = 1 / (1 + Math.exp(-(dot(w, x) + w[d]!)));
      const r = (weightOf(ys[i]!) * (p - ys[i]!)) / xs.length;
      for (let k = 0; k < d; k++) g[k] = g[k]! + r * x[k]!;
      g[d] = g[d]! + r;
    });
    adam(w, g, m, v, epoch);
  }
  return { weights: w.slice(0, d), bias: w[d]! };
}

interface LangData {
  dir: string;
  gold: Map<string, string[]>;
  fold: Map<string, 0 | 1>;
}

export function load(dir: string, dataset: string): LangData {
  const set = loadGoldSet(dataset, "train");
  return {
    dir,
    gold: new Map(set.questions.map((q) => [q.id, q.answers])),
    fold: new Map(set.questions.map((q) => [q.id, foldOf(q.article)])),
  };
}

/**
 * How many times each fold-0 template question counts among the answerable ones: without them the model,
 * fitted on Wikipedia alone, abstained on 8% of the templates' own questions (local idf over a few short
 * documents makes their evidence look thin); weighted 20 times, 1.6% of fold 0 and 1.8% of fold 1.
 */
const TEMPLATE_WEIGHT = 20;

/** The share of fold 0's answerable questions the abstention threshold lets through as abstained. */
const FALSE_ABSTENTION = Number(process.env.FALSE_ABSTENTION ?? 0.025);

const round = (x: number) => +x.toFixed(4);

function paramsWith(lang: "en" | "zh", m: LanguageModel, base: RankerModel | null): AnswerParams {
  const other = base ?? { en: m, zh: m, trainedOn: "" };
  return { ...DEFAULT_ANSWER_PARAMS, model: { ...other, [lang]: m } };
}

/** tune.ts's answerScore, rounded for the report. */
function measure(cases: RetrievedCase[], gold: Map<string, string[]>, p: AnswerParams) {
  const r = answerScore(cases, gold, p);
  return { recall: round(r.recall), sentences: round(r.sentences), abstained: round(r.abstained) };
}

function trainLanguage(
  lang: "en" | "zh",
  data: LangData,
  base: RankerModel | null,
  templates?: string,
): LanguageModel {
  const inFold = (cs: RetrievedCase[], f: 0 | 1) => cs.filter((c) => data.fold.get(c.questionId) === f);
  const paragraph = read(data.dir, "paragraph");
  const article = read(data.dir, "article");
  const own0 = read(data.dir, "heldout0-own");
  const ood0 = read(data.dir, "heldout0-ood");
  const answerable0 = [...inFold(paragraph, 0), ...inFold(article, 0), ...own0];
  const prepared = answerable0.map((c) => prepare(c, data.gold.get(c.questionId) ?? []));
  const sentence = fitRanker(prepared, Number(process.env.RANKER_L2 ?? 1e-3), 400);
  console.log(lang, "ranker", Object.fromEntries(SENTENCE_FEATURES.map((n, i) => [n, round(sentence[i]!)])));

  // Quoting: the highest recall with abstention off at ≤ 1.9 sentences per answer on fold 0.
  const open: LanguageModel = {
    sentence,
    abstain: { weights: [], bias: -1e9, threshold: 1 },
    margin: 0,
    follow: 0,
  };
  let bestQuote = { margin: 0, follow: 0, recall: -1 };
  for (const margin of [0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 5]) {
    for (const follow of [0, 0.5, 1, 1.5, 2]) {
      const r = measure([...inFold(paragraph, 0), ...inFold(article, 0)], data.gold, {
        ...paramsWith(lang, { ...open, margin, follow }, base),
      });
      if (r.sentences <= 1.9 && r.recall > bestQuote.recall) bestQuote = { margin, follow, recall: r.recall };
    }
  }
  console.log(lang, "quoting", bestQuote);
  const quoted = { ...open, margin: bestQuote.margin, follow: bestQuote.follow };

  // Abstention: question features under the fitted ranker.
  const qf = (c: RetrievedCase) =>
    rankSentences(c.question, c.sources, DEFAULT_ANSWER_PARAMS, quoted).abstainFeatures!;
  const answerable = [...inFold(paragraph, 0), ...own0].map(qf);
  const ood = ood0.map(qf);
  const tpl = readTemplateCases(templates, lang, 0);
  const tplOwn = tpl.own.map(qf);
  const extraAnswerable = Array.from({ length: TEMPLATE_WEIGHT }, () => tplOwn).flat();
  const extraOod = tpl.ood.map(qf);
  const fit = fitLogistic(
    [...answerable, ...extraAnswerable, ...ood, ...extraOod],
    [
      ...answerable.map(() => 0),
      ...extraAnswerable.map(() => 0),
      ...ood.map(() => 1),
      ...extraOod.map(() => 1),
    ],
    1e-3,
    600,
  );
  console.log(
    lang,
    "abstain",
    Object.fromEntries(QUESTION_FEATURES.map((n, i) => [n, round(fit.weights[i]!)])),
  );
  const prob = (x: number[]) => 1 / (1 + Math.exp(-(dot(fit.weights, x) + fit.bias)));
  const answerableP = answerable.map(prob).sort((a, b) => b - a);
  const threshold = answerableP[Math.floor(answerableP.length * FALSE_ABSTENTION)]! + 1e-9;
  const model: LanguageModel = { ...quoted, abstain: { ...fit, threshold: round(threshold) + 1e-4 } };

  for (const learnedAbstention of [false, true])
    report(lang, data, { ...paramsWith(lang, model, base), learnedAbstention }, templates);
  return model;
}

/** Fold 0 and fold 1 figures as /v1/ask would give them with these parameters. */
function report(lang: "en" | "zh", data: LangData, p: AnswerParams, templates?: string) {
  const inFold = (cs: RetrievedCase[], f: 0 | 1) => cs.filter((c) => data.fold.get(c.questionId) === f);
  const paragraph = read(data.dir, "paragraph");
  const article = read(data.dir, "article");
  console.log(
    lang,
    p.learnedAbstention ? "abstaining on the learned model" : "abstaining on the evidence thresholds",
  );
  for (const f of [0, 1] as const) {
    const own = read(data.dir, `heldout${f}-own`);
    const oodF = read(data.dir, `heldout${f}-ood`);
    const abst = (cs: RetrievedCase[]) =>
      round(
        cs.filter((c) => !extractiveDecision(c.question, c.sources, p).answerable).length /
          Math.max(1, cs.length),
      );
    console.log(
      lang,
      `fold ${f}${f === 0 ? " (fitted)" : " (held out)"}`,
      JSON.stringify({
        paragraph: measure(inFold(paragraph, f), data.gold, p),
        article: measure(inFold(article, f), data.gold, p),
        heldOut: { answerableAbstained: abst(own), oodAbstained: abst(oodF) },
      }),
    );
  }
  const foreign = read(data.dir, "foreign");
  if (foreign.length) {
    const share = foreign.filter((c) => !extractiveDecision(c.question, c.sources, p).answerable).length;
    console.log(lang, "foreign abstained", round(share / foreign.length));
  }
  if (templates) {
    for (const f of [0, 1] as const) {
      const t = scoreTemplates(templates, lang, f, p);
      console.log(
        lang,
        `templates fold ${f}${f === 0 ? " (fitted)" : " (held out)"}`,
        JSON.stringify({
          ownAbstained: round(t.ownAbstained),
          own: t.own,
          goldenRecall: round(t.goldenRecall),
          oodAbstained: round(t.oodAbstained),
        }),
      );
    }
  }
}

function main() {
  const { values } = parseArgs({
    options: {
      en: { type: "string" },
      "en-dataset": { type: "string" },
      zh: { type: "string" },
      "zh-dataset": { type: "string" },
      templates: { type: "string" },
      write: { type: "boolean", default: false },
    },
  });
  const en = trainLanguage("en", load(values.en!, values["en-dataset"]!), null, values.templates);
  const zh = trainLanguage("zh", load(values.zh!, values["zh-dataset"]!), null, values.templates);
  const model: RankerModel = {
    en,
    zh,
    trainedOn:
      "fold 0 (even-numbered articles) of XQuAD en (en) and CMRC2018 dev (zh): per paragraph, per article " +
      "and the held-out knowledge base; fold 1 never seen" +
      (values.templates ? "; abstention also on the solution templates of fold 0 (even index)" : ""),
  };
  if (values.write) {
    const file = new URL("../../../src/models/extractive/ranker-weights.ts", import.meta.url);
    writeFileSync(
      file,
      `// Written by test/eval/answers/train.ts (${new Date().toISOString().slice(0, 10)}); do not edit by hand.\n` +
        `import type { RankerModel } from "./ranker.js";\n\n` +
        `export const RANKER_MODEL: RankerModel | null = ${JSON.stringify(model, null, 2)};\n`,
    );
    // The repository's formatter decides the layout, so the written file passes `npm run lint` as is.
    execFileSync("npx", ["biome", "format", "--write", file.pathname], { stdio: "inherit" });
    console.log("wrote", file.pathname);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
