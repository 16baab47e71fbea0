/**
 * The answer strings (namespace `answers`) that the service itself writes into answers: the extractive
 * model's intro line and the "not found in the knowledge base" sentence that every model, extractive or
 * not, starts an abstention with. Imported statically so the Workers bundle carries them too.
 */

import ar from "./locales/ar/answers.json" with { type: "json" };
import de from "./locales/de/answers.json" with { type: "json" };
import en from "./locales/en/answers.json" with { type: "json" };
import es from "./locales/es/answers.json" with { type: "json" };
import fr from "./locales/fr/answers.json" with { type: "json" };
import ja from "./locales/ja/answers.json" with { type: "json" };
import ko from "./locales/ko/answers.json" with { type: "json" };
import ptBR from "./locales/pt-BR/answers.json" with { type: "json" };
import ru from "./locales/ru/answers.json" with { type: "json" };
import zhCN from "./locales/zh-CN/answers.json" with { type: "json" };
import zhTW from "./locales/zh-TW/answers.json" with { type: "json" };
import type { Locale } from "./locales.js";

export interface AnswerStrings {
  extractive_intro: string;
  not_found: string;
}

const CATALOG: Record<Locale, AnswerStrings> = {
  en: en,
  "zh-CN": zhCN,
  "zh-TW": zhTW,
  ja: ja,
  ko: ko,
  es: es,
  fr: fr,
  de: de,
  "pt-BR": ptBR,
  ru: ru,
  ar: ar,
};

export function answerStrings(locale: Locale): AnswerStrings {
  return CATALOG[locale];
}

/** Every locale's "not found" sentence, without its final punctuation, for recognising an abstention. */
const NOT_FOUND_HEADS = Object.values(CATALOG).map((s) => notFoundHead(s.not_found));

function notFoundHead(sentence: string): string {
  // The part before the colon is the stable signal; a model may word the rest its own way.
  return sentence.split(/[:：]/)[0]!.trim().toLowerCase();
}

/** True when an answer opens with the "not found in the knowledge base" sentence of any locale. */
export function isNotFoundAnswer(text: string): boolean {
  const head = text
    .trimStart()
    .slice(0, 120)
    .toLowerCase()
    .replace(/^[*_"'“「]+/, "");
  return NOT_FOUND_HEADS.some((h) => head.startsWith(h));
}
