/**
 * Builds an extractive answer: the sentences of the retrieved sources that best overlap the question,
 * quoted in their original order, each with its [n] citation. No language model is involved, so the
 * service can answer offline and for free; the answer says so in its first line.
 */
import { detectLanguage } from "../../../prompts/index.js";
import { splitSentences, terms } from "./sentences.js";

const INTRO = {
  en: "Extractive answer (quoted from the retrieved sources, not written by a language model):",
  zh: "抽取式回答（以下内容直接摘自检索到的资料，并非由语言模型生成）：",
};
const NOTHING = {
  en: "I found nothing relevant to the question in the retrieved sources.",
  zh: "在检索到的资料中没有找到与该问题相关的内容。",
};

const MAX_SENTENCES = 4;
/** A sentence must reach this share of the best score to be quoted, so weak matches don't pad the answer. */
const MIN_SHARE_OF_BEST = 0.5;

interface Candidate {
  n: number;
  order: number;
  text: string;
  score: number;
}

export function extractiveAnswer(question: string, sources: { n: number; text: string }[]): string {
  const language = detectLanguage(question);
  const qTerms = terms(question);
  const candidates: (Candidate & { terms: Set<string> })[] = [];
  for (const source of sources) {
    for (const text of splitSentences(source.text)) {
      candidates.push({ n: source.n, order: candidates.length, text, score: 0, terms: terms(text) });
    }
  }
  // Rarer question terms count more: idf over the candidate sentences.
  const df = new Map<string, number>();
  for (const c of candidates) for (const t of qTerms) if (c.terms.has(t)) df.set(t, (df.get(t) ?? 0) + 1);
  for (const c of candidates) {
    for (const t of qTerms) {
      if (c.terms.has(t)) c.score += Math.log(1 + candidates.length / (df.get(t) ?? 1));
    }
  }
  const ranked = candidates.filter((c) => c.score > 0).sort((a, b) => b.score - a.score || a.order - b.order);
  const best = ranked[0]?.score ?? 0;
  if (best === 0) return NOTHING[language];
  const chosen = ranked
    .filter((c) => c.score >= best * MIN_SHARE_OF_BEST)
    .slice(0, MAX_SENTENCES)
    .sort((a, b) => a.order - b.order);
  // Chinese runs sentences together without spaces; English separates them (and the citation) by one.
  const space = language === "zh" ? "" : " ";
  return `${INTRO[language]}\n\n${chosen.map((c) => `${c.text}${space}[${c.n}]`).join(space)}`;
}
