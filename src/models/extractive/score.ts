/**
 * Scores every sentence of the retrieved sources against the question. A sentence's score is in units of
 * "share of the question": the idf-weighted question terms it contains (question terms that name the
 * source's topic, i.e. appear in its title, count less: every sentence of that source is about them),
 * plus part of what its neighbours add (answers often refer back with "it", "he", "这"), plus bonuses
 * for adjacent question terms kept together, for the answer shape the question asks for (a number,
 * a definition) and a small prior for higher-ranked sources.
 * `evidence` is how much of the question the best window of text covers; the answerer abstains below
 * a threshold (see answer.ts).
 */
import { definesPhrase, hasNewName, hasNewNumber, type QuestionCues, questionCues } from "./cues.js";
import { splitUnits, termList } from "./sentences.js";

export interface ScoreParams {
  /** Weight of question terms that also appear in the source's title. */
  topicWeight: number;
  /** Share of a neighbouring sentence's further matches that count for a sentence. */
  neighborWeight: number;
  /** Per adjacent pair of question terms found adjacent in the sentence, as a share of their weight. */
  pairBonus: number;
  /** Added when the sentence has the shape the question asks for (number, definition). */
  cueBonus: number;
  /** Added for a sentence of source rank r (0-based): rankPrior / (r + 1). */
  rankPrior: number;
  /** Fragments (chunk edges, heading-like lines) are scored at this share. */
  fragmentWeight: number;
  /**
   * Weight of title terms in `coverage` (the evidence the answerer abstains on), kept apart from
   * topicWeight: to pick a sentence the topic hardly matters (every sentence of the source is about
   * it), but whether the sources name the topic at all is what tells a question they cannot answer.
   */
  evidenceTopicWeight: number;
}

export const DEFAULT_SCORE_PARAMS: ScoreParams = {
  topicWeight: 0.15,
  neighborWeight: 0.5,
  pairBonus: 0.3,
  cueBonus: 0.25,
  rankPrior: 0.5,
  fragmentWeight: 0.8,
  evidenceTopicWeight: 0.5,
};

export interface ScoredSentence {
  n: number;
  rank: number;
  /** Position among its source's sentences. */
  index: number;
  text: string;
  score: number;
  /** Share of the question's weight covered by this sentence and its neighbours. */
  coverage: number;
}

interface Unit {
  n: number;
  rank: number;
  text: string;
  complete: boolean;
  terms: string[];
  set: Set<string>;
}

function idfOver(units: Unit[], qTerms: string[]): Map<string, number> {
  const df = new Map<string, number>();
  for (const u of units) for (const t of qTerms) if (u.set.has(t)) df.set(t, (df.get(t) ?? 0) + 1);
  const n = units.length;
  // Terms no sentence has get the highest weight: a question about something absent is not covered.
  return new Map(qTerms.map((t) => [t, Math.log(1 + (n + 1) / ((df.get(t) ?? 0) + 0.5))]));
}

function adjacentPairs(terms: string[]): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + 1 < terms.length; i++) out.add(`${terms[i]} ${terms[i + 1]}`);
  return out;
}

export function scoreSentences(
  question: string,
  sources: { n: number; title?: string; text: string }[],
  params: ScoreParams = DEFAULT_SCORE_PARAMS,
): { sentences: ScoredSentence[]; cues: QuestionCues } {
  const cues = questionCues(question);
  const qList = termList(question);
  const qTerms = [...new Set(qList)];
  const hanSingles = qTerms.filter((t) => /^\p{Script=Han}$/u.test(t));
  const units: Unit[] = [];
  const bySource: Unit[][] = [];
  sources.forEach((s, rank) => {
    const own = splitUnits(s.text).map((u) => {
      const t = termList(u.text);
      const set = new Set(t);
      // A one-character Chinese term ("王沈的字是什么" -> 字) is inside a sentence's bigrams ("字处").
      for (const c of hanSingles) if (u.text.includes(c)) set.add(c);
      return { n: s.n, rank, text: u.text, complete: u.complete, terms: t, set };
    });
    bySource.push(own);
    units.push(...own);
  });
  if (qTerms.length === 0 || units.length === 0) return { sentences: [], cues };
  const idf = idfOver(units, qTerms);
  const qPairs = [...adjacentPairs(qList)].filter((p) => !p.split(" ").every((t) => t === p.split(" ")[0]));

  const out: ScoredSentence[] = [];
  sources.forEach((s, rank) => {
    // The title and the Markdown headings name what the whole source is about.
    const headings = [...s.text.matchAll(/^#{1,6}\s+(.+)$/gm)].map((m) => m[1]).join(" ");
    const topic = new Set(termList(`${s.title ?? ""} ${headings}`));
    const weight = (t: string) => idf.get(t)! * (topic.has(t) ? params.topicWeight : 1);
    const total = qTerms.reduce((sum, t) => sum + weight(t), 0);
    const evidenceWeight = (t: string) => idf.get(t)! * (topic.has(t) ? params.evidenceTopicWeight : 1);
    const evidenceTotal = qTerms.reduce((sum, t) => sum + evidenceWeight(t), 0);
    const own = bySource[rank]!;
    own.forEach((u, i) => {
      let matched = 0;
      let covered = 0;
      for (const t of qTerms) {
        if (!u.set.has(t)) continue;
        matched += weight(t);
        covered += evidenceWeight(t);
      }
      let neighbours = 0;
      let coveredNearby = 0;
      for (const v of [own[i - 1], own[i + 1]]) {
        if (!v) continue;
        let extra = 0;
        let extraCovered = 0;
        for (const t of qTerms) {
          if (!v.set.has(t) || u.set.has(t)) continue;
          extra += weight(t);
          extraCovered += evidenceWeight(t);
        }
        neighbours = Math.max(neighbours, extra);
        coveredNearby = Math.max(coveredNearby, extraCovered);
      }
      let pairs = 0;
      if (qPairs.length) {
        const sp = adjacentPairs(u.terms);
        for (const p of qPairs) {
          if (!sp.has(p)) continue;
          const [a, b] = p.split(" ");
          pairs += (weight(a!) + weight(b!)) / 2;
        }
      }
      let cue = 0;
      if (cues.wantsNumber && hasNewNumber(u.text, cues.words)) cue += params.cueBonus;
      if (cues.wantsName && hasNewName(u.text, cues.words)) cue += params.cueBonus;
      if (cues.definedPhrase && definesPhrase(u.text, cues.definedPhrase)) cue += params.cueBonus;
      if (cues.shape?.test(u.text)) cue += params.cueBonus;
      const lexical = (matched + params.neighborWeight * neighbours + params.pairBonus * pairs) / total;
      const score =
        (lexical + cue + params.rankPrior / (rank + 1)) * (u.complete ? 1 : params.fragmentWeight);
      out.push({
        n: u.n,
        rank,
        index: i,
        text: u.text,
        score: matched > 0 ? score : 0,
        coverage: (covered + coveredNearby) / evidenceTotal,
      });
    });
  });
  return { sentences: out, cues };
}
