/**
 * Builds an extractive answer: the one or two sentences of the retrieved sources that best answer the
 * question (measured in score.ts, ranked by the learned weights of ranker.ts), best first, each cited
 * to its own source. No language model is involved, so the service can answer offline and for free;
 * the answer says so in its first line. When the learned abstention model (or, without a model, the
 * evidence threshold) says the sources do not answer, it abstains with the localized "not found in the
 * knowledge base" sentence instead of quoting weak matches.
 */
import { answerStrings } from "../../i18n/answers.js";
import type { Locale } from "../../i18n/locales.js";
import { abstainProbability, dot, type LanguageModel, questionFeatures, type RankerModel } from "./ranker.js";
import { RANKER_MODEL } from "./ranker-weights.js";
import {
  DEFAULT_SCORE_PARAMS,
  FEATURE,
  type ScoredSentence,
  type ScoreParams,
  scoreSentences,
} from "./score.js";

export interface AnswerParams extends ScoreParams {
  /** A second (third) sentence is quoted only when it scores at least this share of the best. */
  nextShare: number;
  maxSentences: number;
  /**
   * Added to the score of the sentence right after the best one when choosing what to quote next:
   * the sentence that matches the question best often sets the scene and the next one answers it
   * ("The plugs-out test began… During this hold, an electrical fire began in the cabin").
   */
  followBonus: number;
  /** Minimum coverage of the question by the best sentence's window, per question language. */
  minEvidence: { en: number; zh: number };
  /**
   * The higher minimum when a name the question spells with a capital (not its first word) appears in
   * no source: names are rarely paraphrased, so a missing one usually means the topic is not covered.
   */
  minEvidenceMissingName: number;
  /**
   * The learned ranker and abstention model (ranker.ts). Null falls back to the hand-weighted score
   * and the evidence thresholds above (kept to measure the two against each other).
   */
  model: RankerModel | null;
  /**
   * Abstain on the learned model's probability instead of the evidence thresholds (which remain for
   * `model: null` and for measuring one against the other). Fitted on Wikipedia alone it abstained on
   * product templates' starter questions over short documents; it is now fitted with fold 0 of the
   * solution templates too (README "Answer quality").
   */
  learnedAbstention: boolean;
}

/**
 * Calibrated on the development folds only (even-numbered articles of XQuAD en and CMRC2018 dev, and
 * their held-out halves for abstention); see test/eval/answers/tune.ts and the README.
 */
export const DEFAULT_ANSWER_PARAMS: AnswerParams = {
  ...DEFAULT_SCORE_PARAMS,
  nextShare: 0.76,
  maxSentences: 3,
  followBonus: 0.05,
  minEvidence: { en: 0.2, zh: 0.175 },
  minEvidenceMissingName: 0.6,
  model: RANKER_MODEL,
  learnedAbstention: true,
};

/**
 * Folds what spelling varies on between a question and its source: case, accents ("Maiziere" for
 * "Maizière"), hyphens and spaces ("Superbowl" for "Super Bowl", "Chinese-like").
 */
const foldName = (s: string) =>
  s
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[\s'’-]+/g, "");

// Particles, question words and punctuation that end the name a Chinese question opens with.
const ZH_NAME_END =
  /[的了是在有和与或及就都也还请问什么怎样如何哪些为多少个这那我你他她它们可以能否要被由吗呢吧啊么谁几何，、？?：:“”"《》「」（）()\s]/u;

/**
 * The name a Chinese question is about, which it usually opens with ("于乐的职业是什么？" -> 于乐),
 * after a leading date ("2013年于乐…"); only its first two characters, since where the name ends is
 * a guess ("广茂铁路全长" is one run of characters). Null when the question opens otherwise.
 */
export function leadingHanName(question: string): string | null {
  const head = question.normalize("NFKC").trim().split(ZH_NAME_END)[0] ?? "";
  const name = head.replace(/^[\p{N}年月日]+/u, "");
  return /^\p{Script=Han}{2}/u.test(name) ? name.slice(0, 2) : null;
}

/**
 * True when a name the question asks about is in no source's title or text: a capitalised word (not
 * the first) in English, the name a Chinese question opens with.
 */
export function missingName(question: string, sources: { title?: string; text: string }[]): boolean {
  const names = (question.match(/[\p{L}\p{N}'’-]+/gu) ?? []).slice(1).filter((w) => /^\p{Lu}./u.test(w));
  const han = answerLocale(question) === "en" ? null : leadingHanName(question);
  if (han) names.push(han);
  if (names.length === 0) return false;
  const haystack = foldName(sources.map((s) => `${s.title ?? ""} ${s.text}`).join(" "));
  // A possessive ("Kublai's", "Panthers'") or a hyphenated modifier ("Chinese-like") names its first part.
  const stem = (n: string) => foldName(n.replace(/['’]s?$/, "").split("-")[0]!);
  return names.some((n) => stem(n).length > 0 && !haystack.includes(stem(n)));
}

export interface ExtractiveResult {
  answerable: boolean;
  text: string;
  chosen: ScoredSentence[];
  /** Coverage of the question by the best sentence and its neighbours, 0..1. */
  evidence: number;
  /** The abstention model's probability that the sources do not answer (null without a model). */
  unanswerable: number | null;
  locale: Locale;
}

// Characters common in Traditional but not in Simplified text (and the reverse), to answer in the script asked.
const TRADITIONAL =
  /[們這個為說麼來時國會後與對學體發點過還從無關開問題見實現經種麼書車馬長東門間頭電話開買賣讓]/gu;
const SIMPLIFIED =
  /[们这个为说么来时国会后与对学体发点过还从无关开问题见实现经种书车马长东门间头电话买卖让]/gu;

/** The answer's locale: Chinese (Simplified or Traditional) when the question is mostly Han, else English. */
export function answerLocale(question: string): Locale {
  const han = question.match(/\p{Script=Han}/gu)?.length ?? 0;
  const latin = question.match(/[A-Za-z]+/g)?.length ?? 0;
  if (han === 0 || han < latin) return "en";
  const trad = question.match(TRADITIONAL)?.length ?? 0;
  const simp = question.match(SIMPLIFIED)?.length ?? 0;
  return trad > simp ? "zh-TW" : "zh-CN";
}

/** What the learned ranker weighs: a sentence sharing a term with the question, or next to one that does. */
export const isCandidate = (s: ScoredSentence) =>
  s.features[FEATURE.lexical]! > 0 || s.features[FEATURE.neighbours]! > 0;

/**
 * The sentences of the sources ranked for the question, best first, with what abstaining is decided
 * on: the evidence (best coverage of the question among the top five) and the abstention model's
 * question features. The learned ranker weighs every sentence that shares a term with the question or
 * sits next to one that does (the answer often follows the sentence that matches); the hand-weighted
 * score (`model` null, no abstention features) only the first. train.ts fits the abstention model on
 * exactly these features.
 */
export function rankSentences(
  question: string,
  sources: { n: number; title?: string; text: string }[],
  params: ScoreParams,
  model: LanguageModel | null,
) {
  const scored = scoreSentences(question, sources, params);
  const ranked = (
    model
      ? scored.sentences.filter(isCandidate).map((s) => ({ ...s, score: dot(model.sentence, s.features) }))
      : scored.sentences.filter((s) => s.score > 0)
  ).sort((a, b) => b.score - a.score || a.rank - b.rank);
  const evidence = ranked.length ? Math.max(...ranked.slice(0, 5).map((s) => s.coverage)) : 0;
  const missing = missingName(question, sources);
  const abstainFeatures = model
    ? questionFeatures(ranked, evidence, missing, scored.question, scored.cues)
    : null;
  return { ranked, evidence, missing, abstainFeatures };
}

export function extractiveDecision(
  question: string,
  sources: { n: number; title?: string; text: string }[],
  params: AnswerParams = DEFAULT_ANSWER_PARAMS,
): ExtractiveResult {
  const locale = answerLocale(question);
  const strings = answerStrings(locale);
  const zh = locale !== "en";
  const model = params.model?.[zh ? "zh" : "en"] ?? null;
  const { ranked, evidence, missing, abstainFeatures } = rankSentences(question, sources, params, model);
  const best = ranked[0];
  const unanswerable = model && abstainFeatures ? abstainProbability(model, abstainFeatures) : null;
  const abstain =
    model && params.learnedAbstention
      ? unanswerable! >= model.abstain.threshold
      : evidence <
        Math.max(
          zh ? params.minEvidence.zh : params.minEvidence.en,
          missing ? params.minEvidenceMissingName : 0,
        );
  if (!best || abstain) {
    return { answerable: false, text: strings.not_found, chosen: [], evidence, unanswerable, locale };
  }
  const follow = model ? model.follow : params.followBonus;
  const next = (s: ScoredSentence) =>
    s.score + (s.rank === best.rank && s.index === best.index + 1 ? follow : 0);
  // A further sentence is quoted when it scores close to the best: within a margin of the learned
  // score (log-odds), or above a share of the hand-weighted one.
  const close = (s: ScoredSentence) =>
    model ? next(s) >= best.score - model.margin : next(s) >= best.score * params.nextShare;
  const chosen: ScoredSentence[] = [best];
  const seen = new Set([best.text]);
  const rest = ranked.slice(1).sort((a, b) => next(b) - next(a) || a.rank - b.rank);
  for (const s of rest) {
    if (chosen.length >= params.maxSentences || !close(s)) break;
    if (seen.has(s.text)) continue;
    seen.add(s.text);
    chosen.push(s);
  }
  // Chinese runs sentences together without spaces; English separates them (and the citation) by one.
  const space = zh ? "" : " ";
  const body = chosen.map((c) => `${c.text}${space}[${c.n}]`).join(space);
  return {
    answerable: true,
    text: `${strings.extractive_intro}\n\n${body}`,
    chosen,
    evidence,
    unanswerable,
    locale,
  };
}

export function extractiveAnswer(
  question: string,
  sources: { n: number; title?: string; text: string }[],
  params?: AnswerParams,
): string {
  return extractiveDecision(question, sources, params).text;
}
