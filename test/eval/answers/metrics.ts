/**
 * Answer metrics for SQuAD-style sets, computed from what /v1/ask returned:
 * - recall: a gold answer text appears in the answer (case, width and spacing normalized; citation
 *   markers removed; for text with CJK characters, all spaces removed);
 * - sentences: the number of quoted sentences, counted as citation markers ([n] after each quote);
 * - abstained: the answer says the knowledge base does not cover the question (`answerable: false`).
 */

export interface AskedAnswer {
  questionId: string;
  text: string;
  answerable: boolean;
  sentences: number;
  latencyMs: number;
}

const CITATION = /\[\d{1,4}(?:\s*,\s*\d{1,4})*\]/g;

export function normalizeForMatch(text: string): string {
  const t = text.normalize("NFKC").toLowerCase().replace(CITATION, " ").replace(/\s+/g, " ").trim();
  return /\p{Script=Han}/u.test(t) ? t.replace(/\s+/g, "") : t;
}

// Gold spans sometimes carry the sentence's final period or a quote ("Luke Kuechly."): not part of the answer.
const EDGE_PUNCTUATION = /^[\p{P}\s]+|[\p{P}\s]+$/gu;

export function containsGold(answer: string, gold: string[]): boolean {
  const a = normalizeForMatch(answer);
  return gold.some((g) => {
    const n = normalizeForMatch(g).replace(EDGE_PUNCTUATION, "");
    return n.length > 0 && (a.includes(n) || a.replace(/\s+/g, "").includes(n.replace(/\s+/g, "")));
  });
}

export function countSentences(answer: string): number {
  return answer.match(CITATION)?.length ?? 0;
}

export interface AnswerScore {
  questions: number;
  /** Share of questions whose answer contains a gold answer text (abstentions count as misses). */
  recall: number;
  /** Mean quoted sentences over the answers that were given (not abstained). */
  sentencesPerAnswer: number;
  /** Share of these (answerable) questions that were wrongly abstained. */
  abstained: number;
  latencyP50Ms: number;
}

export function scoreAnswers(
  answers: AskedAnswer[],
  goldOf: Map<string, string[]>,
  percentile: (xs: number[], p: number) => number,
): AnswerScore {
  let hits = 0;
  let sentences = 0;
  let given = 0;
  let abstained = 0;
  for (const a of answers) {
    if (!a.answerable) {
      abstained++;
      continue;
    }
    given++;
    sentences += a.sentences;
    if (containsGold(a.text, goldOf.get(a.questionId) ?? [])) hits++;
  }
  const n = Math.max(1, answers.length);
  return {
    questions: answers.length,
    recall: hits / n,
    sentencesPerAnswer: sentences / Math.max(1, given),
    abstained: abstained / n,
    latencyP50Ms: percentile(
      answers.map((a) => a.latencyMs),
      50,
    ),
  };
}
