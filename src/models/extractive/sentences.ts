/**
 * Sentence splitting and term extraction for the extractive answerer, for English and Chinese text.
 * Chinese has no spaces, so its terms are overlapping character bigrams; English terms are stemmed
 * words without stop words.
 */
import { stemmer } from "stemmer";

/**
 * Splits source text into quotable sentences. Extracted text (PDF especially) wraps lines mid-sentence,
 * so single line breaks are joined; blank lines and Markdown-style heading lines end a paragraph.
 * Sentences end at . ! ? followed by a space, and at Chinese 。！？；.
 * A chunk may start or end mid-sentence (chunk boundaries, overlap): such fragments, and heading-like
 * lines, are dropped when the text has complete sentences to offer.
 */
export function splitSentences(text: string): string[] {
  const pieces: { text: string; complete: boolean }[] = [];
  for (const paragraph of paragraphs(text)) {
    const parts = paragraph
      .replace(/([。！？；])/g, "$1\n")
      .replace(/([.!?]["')\]]?)\s+(?=\S)/g, "$1\n")
      .split("\n")
      .map((p) => p.trim())
      .filter((p) => p.length > 1);
    parts.forEach((p, i) => {
      const starts = i > 0 || /^[\p{Lu}\p{N}"'(\p{Script=Han}]/u.test(p);
      const ends = /[.!?。！？；]["')\]]?$/.test(p);
      pieces.push({ text: p, complete: starts && ends && longEnough(p) });
    });
  }
  const complete = pieces.filter((p) => p.complete).map((p) => p.text);
  return complete.length > 0 ? complete : pieces.map((p) => p.text);
}

function paragraphs(text: string): string[] {
  const out: string[] = [];
  let current: string[] = [];
  const flush = () => {
    if (current.length) out.push(current.join(" ").replace(/\s+/g, " ").trim());
    current = [];
  };
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed === "" || /^#{1,6}\s/.test(trimmed)) {
      flush();
      continue;
    }
    current.push(trimmed);
  }
  flush();
  return out.filter((p) => p.length > 0);
}

function longEnough(sentence: string): boolean {
  const cjk = (sentence.match(/\p{Script=Han}/gu) ?? []).length;
  return cjk >= 6 || sentence.split(/\s+/).length >= 4;
}

const EN_STOP = new Set(
  (
    "a an and are as at be by can could did do does for from has have how i if in into is it its may me my " +
    "of on or our should so than that the their them then there these this those to was we were what when " +
    "where which who whom why will with would you your about tell please explain"
  ).split(" "),
);

// Question words and particles: bigrams made only of these characters carry no topic.
const ZH_STOP_CHARS = new Set(
  Array.from("的了吗呢吧啊是在有和与或及就都也还请问什么怎样如何哪些为多少个么这那我你他她它们可以能否要"),
);

export function terms(text: string): Set<string> {
  const out = new Set<string>();
  const lower = text.toLowerCase();
  for (const word of lower.match(/[\p{L}\p{N}]+/gu) ?? []) {
    if (/\p{Script=Han}/u.test(word)) continue;
    if (word.length < 2 && !/\d/.test(word)) continue;
    if (EN_STOP.has(word)) continue;
    out.add(stemmer(word));
  }
  for (const run of lower.match(/\p{Script=Han}+/gu) ?? []) {
    const chars = Array.from(run);
    if (chars.length === 1 && !ZH_STOP_CHARS.has(chars[0]!)) out.add(chars[0]!);
    for (let i = 0; i + 1 < chars.length; i++) {
      const a = chars[i]!;
      const b = chars[i + 1]!;
      if (ZH_STOP_CHARS.has(a) && ZH_STOP_CHARS.has(b)) continue;
      out.add(a + b);
    }
  }
  return out;
}
