/**
 * The learned part of the extractive answerer: a linear ranker over each sentence's measurements
 * (score.ts SENTENCE_FEATURES) and a logistic abstention model over what the sources hold of the
 * question (QUESTION_FEATURES). The weights are data, fitted offline on development folds only by
 * test/eval/answers/train.ts and written to ranker-weights.ts; this file only applies them.
 */
import type { QuestionCues } from "./cues.js";
import { FEATURE, type QuestionEvidence, type ScoredSentence } from "./score.js";

export interface LanguageModel {
  /** One weight per SENTENCE_FEATURES entry; a sentence's score is their dot product. */
  sentence: number[];
  /** One weight per QUESTION_FEATURES entry, plus the bias. */
  abstain: { weights: number[]; bias: number; threshold: number };
  /**
   * A further sentence is quoted when its score is within this much of the best (in the ranker's
   * log-odds units); the one right after the best gets `follow` added first.
   */
  margin: number;
  follow: number;
}

export interface RankerModel {
  en: LanguageModel;
  zh: LanguageModel;
  /** Where the weights come from, for the record (README "Answer quality"). */
  trainedOn: string;
}

export const QUESTION_FEATURES = [
  "evidence", // best coverage of the question among the top five sentences (and neighbours)
  "missingName", // a name the question asks about is in no source
  "unionCoverage", // idf-weighted share of the question's terms anywhere in the sources
  "rarestAbsent", // the question's rarest term is in no source
  "topLexical", // the best sentence's lexical share
  "topTermShare", // the best sentence's share of the question's distinct terms, title terms included
  "topCue", // the best sentence has the answer shape the question asks for
  "confidence", // the best sentence's probability among all (softmax of the scores)
  "terms", // log of the number of question terms, scaled
  "bestCount", // most distinct question terms in one of the top five sentences, / 5
  "missingCount", // question terms that sentence lacks, / 5
  "secondLexical", // the second-best sentence's lexical share: answers are often echoed nearby
  "strongSentences", // sentences holding at least half the question's weight, / 10
  "wantsNumber", // the question asks how many / when: it wants one fact, not a topic
  "wantsName", // the question asks who / where / which
  "topNewName", // the best sentence brings a name the question lacks
  "topScore", // the best sentence's ranker score, / 10
] as const;

export const dot = (w: number[], f: number[]) => f.reduce((sum, x, i) => sum + x * (w[i] ?? 0), 0);

export function questionFeatures(
  ranked: ScoredSentence[],
  evidence: number,
  missing: boolean,
  q: QuestionEvidence,
  cues: QuestionCues,
): number[] {
  const best = ranked[0];
  const share = (s: ScoredSentence | undefined, name: keyof typeof FEATURE) =>
    s?.features[FEATURE[name]] ?? 0;
  const bestCount = Math.max(
    0,
    ...ranked.slice(0, 5).map((s) => Math.round(share(s, "termShareAll") * q.terms)),
  );
  const top = best?.score ?? 0;
  const z = ranked.reduce((sum, s) => sum + Math.exp(s.score - top), 0);
  return [
    evidence,
    missing ? 1 : 0,
    q.unionCoverage,
    q.rarestAbsent,
    share(best, "lexical"),
    share(best, "termShareAll"),
    share(best, "cueNumber") + share(best, "cueName") + share(best, "cueDefine") + share(best, "cueShape") > 0
      ? 1
      : 0,
    best ? 1 / z : 0,
    Math.log1p(q.terms) / 3,
    bestCount / 5,
    (q.terms - bestCount) / 5,
    share(ranked[1], "lexical"),
    ranked.filter((s) => share(s, "lexical") >= 0.5).length / 10,
    cues.wantsNumber ? 1 : 0,
    cues.wantsName ? 1 : 0,
    share(best, "newName"),
    top / 10,
  ];
}

/** Probability that the sources do not answer the question. */
export function abstainProbability(model: LanguageModel, features: number[]): number {
  return 1 / (1 + Math.exp(-(dot(model.abstain.weights, features) + model.abstain.bias)));
}
