/**
 * Splits text into word runs and CJK runs. Han, kana and Hangul are written without (reliable) spaces
 * between words, so they are kept apart from letter/digit runs and later cut into character n-grams;
 * everything else that is a letter, mark or digit forms ordinary words.
 */
export interface Segment {
  kind: "word" | "cjk";
  text: string;
}

const SEP = 1;
const WORD = 2;
const CJK = 3;
// U+30FC (prolonged sound mark) and U+3005 (iteration mark) are "Common" script but live inside CJK words.
const CJK_CHAR = /^[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}\u30fc\u3005]$/u;
const WORD_CHAR = /^[\p{L}\p{M}\p{N}]$/u;
// English clitics ("patient's", "don't", "we'll") would otherwise leave stray one-letter tokens.
const CLITIC_RE = /(?<=\p{L})['’](?:s|t|d|ll|re|ve|m)(?!\p{L})/gu;

// Unicode property regexes are slow per character, so classes are computed once per code point.
const bmpClass = new Uint8Array(0x10000);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  bmpClass[c] = /[a-z0-9]/i.test(ch) ? WORD : SEP;
}

function classify(ch: string): number {
  if (CJK_CHAR.test(ch)) return CJK;
  return WORD_CHAR.test(ch) ? WORD : SEP;
}

/** NFKC folds full-width forms and compatibility characters; lowercasing makes matching case-blind. */
export function normalizeText(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(CLITIC_RE, "");
}

export function segment(text: string): Segment[] {
  const s = normalizeText(text);
  const out: Segment[] = [];
  let start = -1;
  let runCls = SEP;
  for (let i = 0; i < s.length; ) {
    const code = s.charCodeAt(i);
    let cls: number;
    let width = 1;
    if (code >= 0xd800 && code <= 0xdbff && i + 1 < s.length) {
      cls = classify(s.slice(i, i + 2));
      width = 2;
    } else {
      cls = bmpClass[code]!;
      if (cls === 0) cls = bmpClass[code] = classify(s[i]!);
    }
    if (cls !== runCls) {
      if (runCls !== SEP) out.push({ kind: runCls === CJK ? "cjk" : "word", text: s.slice(start, i) });
      runCls = cls;
      start = i;
    }
    i += width;
  }
  if (runCls !== SEP) out.push({ kind: runCls === CJK ? "cjk" : "word", text: s.slice(start) });
  return out;
}
