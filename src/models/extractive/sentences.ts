/**
 * Sentence splitting and term extraction for the extractive answerer, for English and Chinese text.
 * Chinese has no spaces, so its terms are overlapping character bigrams; English terms are stemmed
 * words without stop words.
 */
import { stemmer } from "stemmer";
import { classifyLine, cleanInline, isBoilerplate } from "./clean.js";

export interface Sentence {
  text: string;
  /** A whole sentence or list item, not a chunk-edge fragment or a heading-like line. */
  complete: boolean;
}

// Periods after these do not end a sentence ("U.S. Army", "Dr. Smith", "e.g. this").
const ABBREVIATION =
  /(?:^|[\s(])(?:[A-Za-z]|[A-Za-z]\.[A-Za-z]|Mr|Mrs|Ms|Dr|St|Mt|Ft|Inc|Ltd|Co|Corp|Jr|Sr|vs|etc|e\.g|i\.e|No|Nos|Fig|Figs|Sec|Vol|al|Gen|Gov|Col|Lt|Sgt|Capt|Prof|Rev|Sen|Rep|Jan|Feb|Mar|Apr|Aug|Sep|Sept|Oct|Nov|Dec|approx|ca|cf|pp)\.$/;

const unclosed = (text: string) => (text.match(/[（(]/g)?.length ?? 0) > (text.match(/[）)]/g)?.length ?? 0);

function splitProse(paragraph: string): string[] {
  const out: string[] = [];
  let start = 0;
  // A closing quote or bracket after 。！？ belongs to the sentence it closes: 「……是什么？」他说。
  const ends = /[。！？；][」』”’）)]*|[.!?]["'”’)\]]?(?=\s+\S)/g;
  for (let m = ends.exec(paragraph); m !== null; m = ends.exec(paragraph)) {
    const end = m.index + m[0].length;
    if (m[0][0] === ".") {
      const before = paragraph.slice(Math.max(0, m.index - 12), m.index + 1);
      const next = paragraph.slice(end).trimStart()[0] ?? "";
      if (ABBREVIATION.test(before) || /[\p{Ll},;]/u.test(next)) continue;
    }
    // A semicolon inside brackets separates list items, not sentences: "伊维卡·奥利奇（…；…）是…".
    if (m[0][0] === "；" && unclosed(paragraph.slice(start, m.index))) continue;
    out.push(paragraph.slice(start, end));
    start = end;
  }
  out.push(paragraph.slice(start));
  return out.map((s) => s.trim()).filter((s) => s.length > 1);
}

// What a sentence can open with: a capital, a digit, a Han character, or an opening quote or bracket
// (Chinese sentences often open with a title in 《》 or a quotation in 「」).
const SENTENCE_START = /^[\p{Lu}\p{N}\p{Script=Han}"'“‘(（《「『〈【]/u;

// Chinese counts characters, digits included: "水深2至23公尺。" and "475年至477年在位。" are whole answers.
function longEnough(sentence: string): boolean {
  const cjk = (sentence.match(/[\p{Script=Han}\p{N}]/gu) ?? []).length;
  return (/\p{Script=Han}/u.test(sentence) && cjk >= 6) || sentence.split(/\s+/).length >= 4;
}

/**
 * Splits source text into quotable sentences. Extracted text (PDF especially) wraps lines mid-sentence,
 * so single line breaks are joined; blank lines and headings end a paragraph, and each list item or
 * table row is a unit of its own. Sentences end at . ! ? followed by a space (not after abbreviations),
 * and at Chinese 。！？；. A chunk may start or end mid-sentence (chunk boundaries, overlap): such
 * fragments, and heading-like lines, are marked incomplete.
 */
export function splitUnits(text: string): Sentence[] {
  const units: Sentence[] = [];
  let prose: string[] = [];
  const flush = () => {
    const paragraph = cleanInline(prose.join(" "));
    prose = [];
    if (!paragraph) return;
    splitProse(paragraph).forEach((p, i, all) => {
      const starts = i > 0 || SENTENCE_START.test(p);
      const ends =
        /(?:[.!?]["'”’)\]]?|[。！？；][」』”’）)]*)$/.test(p) ||
        (i < all.length - 1 && /\p{Script=Han}/u.test(p));
      units.push({ text: p, complete: starts && ends && longEnough(p) });
    });
  };
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    const { kind, text: content } = classifyLine(line);
    if (kind === "text" && isSectionHeading(content, prose, lines[i + 1])) {
      // A PDF's "4.1 Nesting Algorithm" line: the paragraph ends there and the heading is never quoted.
      flush();
      return;
    }
    if (kind === "text") {
      prose.push(content);
      return;
    }
    flush();
    if (kind === "item") {
      const item = cleanInline(content);
      // "5. Trace Tree Optimization" reads as a numbered list item but is a section heading.
      if (item) units.push({ text: item, complete: SENTENCE_START.test(item) && !titleLike(item) });
    }
  });
  flush();
  return units.filter((u) => !isBoilerplate(u.text));
}

// Short title-case lines, optionally numbered ("4.1 Nesting Algorithm", "Trace Tree Optimization").
const TITLE_WORD = /^(?:[\p{Lu}\d][\p{L}\d'’-]*|a|an|and|as|at|by|for|from|in|of|on|or|the|to|via|vs|with)$/u;

/** A short title-case line without sentence punctuation, such as a section heading. */
function titleLike(line: string): boolean {
  const words = line.split(/\s+/);
  return words.length <= 8 && !/[.!?:;,]$/.test(line) && words.every((w) => TITLE_WORD.test(w));
}

/**
 * Extracted text loses heading markup, so a section heading arrives as a line of its own and would be
 * joined to the next sentence ("4.1 Nesting Algorithm The key insight is…") or quoted alone. A line is
 * taken for one only between sentences: the text before it ends one, and the next line starts one.
 */
function isSectionHeading(line: string, prose: string[], next: string | undefined): boolean {
  const body = line.replace(/^\d+(?:\.\d+)*\.?\s+/, "");
  const words = body.split(/\s+/);
  if (words.length > 8 || !/^[\p{Lu}\d]/u.test(body) || /[.!?:;,]$/.test(body)) return false;
  if (/\p{Script=Han}/u.test(body) || !words.every((w) => TITLE_WORD.test(w))) return false;
  const before = prose.at(-1);
  if (before !== undefined && !/[.!?:]["'”’)\]]?$/.test(before)) return false;
  const after = next?.trim() ?? "";
  return after === "" || /^[\p{Lu}\d"“(]/u.test(after);
}

/** The quotable sentences of a text: complete ones when there are any, else every piece. */
export function splitSentences(text: string): string[] {
  const units = splitUnits(text);
  const complete = units.filter((u) => u.complete).map((u) => u.text);
  return complete.length > 0 ? complete : units.map((u) => u.text);
}

const EN_STOP = new Set(
  (
    "a an and are as at be by can could did do does for from has have how i if in into is it its may me my " +
    "of on or our should so than that the their them then there these this those to was we were what when " +
    "where which who whom whose why will with would you your about tell please explain many much"
  ).split(" "),
);

// Particles and question words: a bigram containing one of these carries no topic.
const ZH_QUESTION_CHARS = new Set(Array.from("吗呢吧啊么哪谁几何怎"));
const ZH_STOP_CHARS = new Set(
  Array.from("的了是在有和与或及就都也还请问什么怎样如何哪些为多少个这那我你他她它们可以能否要被由"),
);

// "five sacks in nine games" and "5 sacks in just 9 starts" share their numbers.
const NUMBER_WORDS = new Map(
  "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty"
    .split(" ")
    .map((w, i) => [w, String(i)]),
);

/** Terms in order of appearance (repeats kept), so adjacency can be checked. */
export function termList(text: string): string[] {
  const out: string[] = [];
  const lower = text.normalize("NFKC").toLowerCase();
  for (const token of lower.match(/\p{Script=Han}+|[\p{L}\p{N}]+/gu) ?? []) {
    if (/\p{Script=Han}/u.test(token)) {
      // Particles and question words separate terms as spaces do ("生活在水深" -> 生活, 水深): a bigram
      // across one ("活在", "在水") is in no answer and would only dilute the question's weight.
      const segments = Array.from(token).reduce<string[][]>(
        (acc, ch) => {
          if (ZH_STOP_CHARS.has(ch) || ZH_QUESTION_CHARS.has(ch)) acc.push([]);
          else acc[acc.length - 1]!.push(ch);
          return acc;
        },
        [[]],
      );
      for (const chars of segments) {
        if (chars.length === 1) out.push(chars[0]!);
        for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
      }
      continue;
    }
    if (token.length < 2 && !/\d/.test(token)) continue;
    if (EN_STOP.has(token)) continue;
    out.push(NUMBER_WORDS.get(token) ?? stemmer(token));
  }
  return out;
}

export function terms(text: string): Set<string> {
  return new Set(termList(text));
}
