import { countTokens } from "./tokens.js";

/**
 * The smallest pieces a chunk is assembled from: sentences, or words/character groups when a sentence
 * alone exceeds the chunk size. Atoms tile their range exactly (each keeps its trailing separator),
 * carry their token count, and say how strong the boundary at their end is, so the assembler can
 * prefer to cut at a paragraph over a line, a line over a sentence, a sentence over a word.
 */
export interface Atom {
  start: number;
  end: number;
  tokens: number;
  /** Strength of the boundary at `end`: one of BREAK. */
  break: number;
}

export const BREAK = { char: 0, word: 1, sentence: 2, line: 3, paragraph: 4 } as const;

const PARAGRAPH = /\n[ \t]*\n\s*/g;
const LINE = /\n/g;
// Latin sentence ends need a following space ("3.14" and "e.g.x" are not ends); CJK ends need none.
// The lookbehind tries a run of end marks only from its first mark: from every mark of a long run
// ("......" with no space after) the search would be quadratic in the run.
const SENTENCE = /(?<![.!?…])[.!?…]+["'”’)\]]*\s+|[。！？；]+[」』”’）)]*\s*/g;
const WORD = /\s+/g;
/** Code points per atom when a "word" has to be cut: long URLs, base64, unspaced CJK text. */
const CHAR_GROUP = 16;

export function atomize(text: string, start: number, end: number, maxTokens: number): Atom[] {
  const atoms: Atom[] = [];
  splitAt(text, start, end, PARAGRAPH, BREAK.paragraph, BREAK.paragraph, (s, e, b) =>
    splitAt(text, s, e, LINE, BREAK.line, b, (s2, e2, b2) =>
      splitAt(text, s2, e2, SENTENCE, BREAK.sentence, b2, (s3, e3, b3) => {
        const tokens = countTokens(text.slice(s3, e3));
        if (tokens <= maxTokens) atoms.push({ start: s3, end: e3, tokens, break: b3 });
        else splitWords(text, s3, e3, b3, maxTokens, atoms);
      }),
    ),
  );
  return atoms;
}

/** Calls `each` for the pieces of [start, end) ending after each separator match; the last piece gets `lastBreak`. */
function splitAt(
  text: string,
  start: number,
  end: number,
  separator: RegExp,
  strength: number,
  lastBreak: number,
  each: (start: number, end: number, endBreak: number) => void,
): void {
  const slice = text.slice(start, end);
  let from = 0;
  separator.lastIndex = 0;
  for (let m = separator.exec(slice); m !== null; m = separator.exec(slice)) {
    const to = m.index + m[0].length;
    if (to >= slice.length) break;
    if (to > from) each(start + from, start + to, strength);
    from = to;
  }
  if (from < slice.length) each(start + from, end, lastBreak);
}

function splitWords(
  text: string,
  start: number,
  end: number,
  lastBreak: number,
  max: number,
  out: Atom[],
): void {
  splitAt(text, start, end, WORD, BREAK.word, lastBreak, (s, e, b) => {
    const tokens = countTokens(text.slice(s, e));
    if (tokens <= max) out.push({ start: s, end: e, tokens, break: b });
    else splitChars(text, s, e, b, out);
  });
}

/** Groups of whole code points: a surrogate pair is never cut. */
function splitChars(text: string, start: number, end: number, lastBreak: number, out: Atom[]): void {
  let groupStart = start;
  let count = 0;
  let i = start;
  while (i < end) {
    const code = text.codePointAt(i)!;
    i += code > 0xffff ? 2 : 1;
    if (++count === CHAR_GROUP || i >= end) {
      const last = i >= end;
      out.push({
        start: groupStart,
        end: i,
        tokens: countTokens(text.slice(groupStart, i)),
        break: last ? lastBreak : BREAK.char,
      });
      groupStart = i;
      count = 0;
    }
  }
}
