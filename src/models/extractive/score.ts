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
import { definesPhrase, hasNewName, hasNewNumber, hasYear, type QuestionCues, questionCues } from "./cues.js";
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
  /** What the learned ranker (ranker.ts) weighs, in the order of SENTENCE_FEATURES. */
  features: number[];
}

const HAN_FUNCTION =
  "的了是在有和与或及就都也还请问什么怎样如何哪些为多少个这那其被由把从对于以之中吗呢吧啊么谁几何年月日";

/** What the sources hold of the question as a whole, for the abstention model. */
export interface QuestionEvidence {
  /** idf-weighted share of the question's terms found anywhere in the sources or their titles. */
  unionCoverage: number;
  /** 1 when the question's rarest term is in no source. */
  rarestAbsent: number;
  terms: number;
}

/**
 * The measurements of a sentence the learned ranker weighs. Each is on a scale of about 0..1 so that
 * one set of weights serves short and long questions alike.
 */
export const SENTENCE_FEATURES = [
  "lexical", // idf-weighted share of the question's terms in the sentence (title terms discounted)
  "neighbours", // what the better neighbour adds
  "pairs", // adjacent question terms kept adjacent
  "cueNumber", // the question wants a number and the sentence brings a new one
  "cueName", // the question wants a name and the sentence brings a new one
  "cueDefine", // a defining sentence for "what is X"
  "cueShape", // the telltale wording of the answer ("又名", "also known as")
  "rankPrior", // 1 / (source rank + 1)
  "fragment", // a chunk-edge fragment or heading-like line
  "coverage", // evidence share, title terms at evidenceTopicWeight
  "termShare", // share of the question's distinct terms not in the title or headings, unweighted
  "proximity", // matched terms close together: matched / span of their positions
  "length", // log of the sentence's term count, scaled
  "first", // the source's first sentence
  "newNumber", // a number the question lacks, whatever the question asks
  "newName", // a name the question lacks, whatever the question asks
  "rarest", // the question's rarest term (highest idf) is in the sentence
  "year", // a year or full date, when the question asks "when" / "哪一年"
  "lexical2", // lexical squared: lets the ranker reward near-complete matches more than linearly
  "termShareAll", // share of all the question's distinct terms, title terms included, unweighted
  "hanShare", // share of the question's content Han characters in the sentence (起源 meets 发源 on 源)
] as const;

/** Where each named measurement sits in `features`. */
export const FEATURE = Object.fromEntries(SENTENCE_FEATURES.map((name, i) => [name, i])) as Record<
  (typeof SENTENCE_FEATURES)[number],
  number
>;

interface Unit {
  n: number;
  rank: number;
  text: string;
  complete: boolean;
  terms: string[];
  set: Set<string>;
  /** Terms of the Markdown heading the sentence sits under within its source (empty without one). */
  section: Set<string>;
}

/**
 * A source's text cut at its Markdown headings, each part with the heading above it. A sentence under
 * "## Rate limits" or '## "It's too expensive"' answers what its heading names without repeating it,
 * so its heading's terms count for it as if it held them, at the weight of topic terms (topicWeight
 * for choosing a sentence, evidenceTopicWeight for the evidence): every heading is also topic.
 */
function sections(text: string): { heading: string; body: string }[] {
  const out = [{ heading: "", body: "" }];
  for (const line of text.split("\n")) {
    const h = /^#{1,6}\s+(.+)$/.exec(line);
    if (h) out.push({ heading: h[1]!, body: `${line}\n` });
    else out[out.length - 1]!.body += `${line}\n`;
  }
  return out.filter((p) => p.body.trim());
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

/**
 * How tightly the question's terms sit in the sentence: distinct matched terms over the span from the
 * first to the last of them (1 when they are adjacent; 0 with fewer than two).
 */
function proximity(terms: string[], set: Set<string>, qTerms: string[]): number {
  const wanted = new Set(qTerms.filter((t) => set.has(t)));
  if (wanted.size < 2) return 0;
  let first = -1;
  let last = -1;
  for (let i = 0; i < terms.length; i++) {
    if (!wanted.has(terms[i]!)) continue;
    if (first < 0) first = i;
    last = i;
  }
  return first < 0 ? 0 : Math.min(1, wanted.size / (last - first + 1));
}

export function scoreSentences(
  question: string,
  sources: { n: number; title?: string; text: string }[],
  params: ScoreParams = DEFAULT_SCORE_PARAMS,
): { sentences: ScoredSentence[]; cues: QuestionCues; question: QuestionEvidence } {
  const cues = questionCues(question);
  // "X的定义是什么" asks what X is: the word 定义 is about the question, not a term its answer repeats
  // (the defining sentence says "X是指…"; a sentence that merely mentions a definition should not win).
  const qList = termList(
    question.replace(/的(?:定义|定義|意思|含义|含義|概念)(?=(?:是|為|为)?(?:什么|什麼))/u, ""),
  );
  const qTerms = [...new Set(qList)];
  const hanSingles = qTerms.filter((t) => /^\p{Script=Han}$/u.test(t));
  // Single characters of a Chinese question, without the ones that carry grammar or ask the question.
  const qHan = [...new Set(question.match(/\p{Script=Han}/gu) ?? [])].filter(
    (c) => !HAN_FUNCTION.includes(c),
  );
  const units: Unit[] = [];
  const bySource: Unit[][] = [];
  sources.forEach((s, rank) => {
    const own = sections(s.text).flatMap(({ heading, body }) => {
      const section = new Set(termList(heading));
      return splitUnits(body).map((u) => {
        const t = termList(u.text);
        const set = new Set(t);
        // A one-character Chinese term ("王沈的字是什么" -> 字) is inside a sentence's bigrams ("字处").
        for (const c of hanSingles) if (u.text.includes(c)) set.add(c);
        return { n: s.n, rank, text: u.text, complete: u.complete, terms: t, set, section };
      });
    });
    bySource.push(own);
    units.push(...own);
  });
  if (qTerms.length === 0 || units.length === 0) {
    return { sentences: [], cues, question: { unionCoverage: 0, rarestAbsent: 1, terms: qTerms.length } };
  }
  const idf = idfOver(units, qTerms);
  const rarest = qTerms.reduce((a, b) => (idf.get(b)! > idf.get(a)! ? b : a));
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
    // Terms that name the source's topic say nothing about which of its sentences answers.
    const pointed = qTerms.filter((t) => !topic.has(t));
    const counted = pointed.length > 0 ? pointed : qTerms;
    const own = bySource[rank]!;
    own.forEach((u, i) => {
      let matched = 0;
      let covered = 0;
      for (const t of qTerms) {
        if (!u.set.has(t) && !u.section.has(t)) continue;
        matched += weight(t);
        covered += evidenceWeight(t);
      }
      const count = counted.filter((t) => u.set.has(t)).length;
      const countAll = qTerms.filter((t) => u.set.has(t)).length;
      let neighbours = 0;
      let coveredNearby = 0;
      for (const v of [own[i - 1], own[i + 1]]) {
        if (!v) continue;
        let extra = 0;
        let extraCovered = 0;
        for (const t of qTerms) {
          if (!v.set.has(t) || u.set.has(t) || u.section.has(t)) continue;
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
      const newNumber = hasNewNumber(u.text, cues.words);
      const newName = hasNewName(u.text, cues.words);
      const cueNumber = cues.wantsNumber && newNumber ? 1 : 0;
      const cueName = cues.wantsName && newName ? 1 : 0;
      const cueDefine = cues.definedPhrase && definesPhrase(u.text, cues.definedPhrase) ? 1 : 0;
      const cueShape = cues.shape?.test(u.text) ? 1 : 0;
      const cue = params.cueBonus * (cueNumber + cueName + cueDefine + cueShape);
      const lexical = (matched + params.neighborWeight * neighbours + params.pairBonus * pairs) / total;
      const score =
        (lexical + cue + params.rankPrior / (rank + 1)) * (u.complete ? 1 : params.fragmentWeight);
      const coverage = (covered + coveredNearby) / evidenceTotal;
      out.push({
        n: u.n,
        rank,
        index: i,
        text: u.text,
        score: matched > 0 ? score : 0,
        coverage,
        features: [
          matched / total,
          neighbours / total,
          pairs / total,
          cueNumber,
          cueName,
          cueDefine,
          cueShape,
          1 / (rank + 1),
          u.complete ? 0 : 1,
          coverage,
          count / counted.length,
          proximity(u.terms, u.set, qTerms),
          Math.log1p(u.terms.length) / 4,
          i === 0 ? 1 : 0,
          newNumber ? 1 : 0,
          newName ? 1 : 0,
          u.set.has(rarest) ? 1 : 0,
          cues.wantsDate && hasYear(u.text) ? 1 : 0,
          (matched / total) ** 2,
          countAll / qTerms.length,
          qHan.length ? qHan.filter((c) => u.text.includes(c)).length / qHan.length : 0,
        ],
      });
    });
  });
  // How much of the question the sources hold anywhere, titles included: a question about another topic
  // leaves its rarest terms in no source at all, while a paraphrased answerable one usually keeps them.
  const everywhere = new Set<string>();
  for (const u of units) for (const t of qTerms) if (u.set.has(t)) everywhere.add(t);
  for (const s of sources) for (const t of termList(s.title ?? "")) everywhere.add(t);
  const idfTotal = qTerms.reduce((sum, t) => sum + idf.get(t)!, 0);
  const unionCoverage = qTerms.reduce((sum, t) => sum + (everywhere.has(t) ? idf.get(t)! : 0), 0) / idfTotal;
  return {
    sentences: out,
    cues,
    question: { unionCoverage, rarestAbsent: everywhere.has(rarest) ? 0 : 1, terms: qTerms.length },
  };
}
