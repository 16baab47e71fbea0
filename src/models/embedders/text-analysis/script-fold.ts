import HK_VARIANTS_REV from "opencc-js/dict/HKVariantsRev";
import TS_CHARACTERS from "opencc-js/dict/TSCharacters";
import TW_VARIANTS_REV from "opencc-js/dict/TWVariantsRev";

/**
 * Folds Traditional Chinese characters to Simplified, one character at a time, so a Traditional query
 * finds a Simplified passage and the other way round: both sides of every match go through this fold
 * before they are cut into n-grams.
 *
 * Character by character on purpose: OpenCC's phrase tables convert a word differently by context
 * (乾隆 keeps 乾, 乾燥 becomes 干燥), which could fold the same characters two ways in a document and in a
 * query. A per-character table folds them one way everywhere, and matching only needs that consistency.
 * The table is OpenCC's (opencc-js) Taiwan and Hong Kong variant reversals followed by its
 * Traditional-to-Simplified characters, taking the first candidate, closed under itself so folding twice
 * changes nothing. A character that is itself a Simplified form (some Traditional character folds to it,
 * such as 么 or 干) is never folded, so Simplified text indexes as before apart from the few characters
 * OpenCC itself folds unconditionally (乾 -> 干), and non-Chinese text is untouched.
 */
let table: Map<number, string> | null = null;

function parse(dict: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of dict.split("|")) {
    const [from, first] = entry.split(" ");
    if (from && first && Array.from(from).length === 1 && Array.from(first).length === 1)
      out.set(from, first);
  }
  return out;
}

function buildTable(): Map<number, string> {
  const steps = [parse(TW_VARIANTS_REV), parse(HK_VARIANTS_REV), parse(TS_CHARACTERS)];
  const once = (c: string) => steps.reduce((ch, step) => step.get(ch) ?? ch, c);
  const simplified = new Set(steps[2]!.values());
  const sources = new Set<string>();
  for (const step of steps) for (const k of step.keys()) if (!simplified.has(k)) sources.add(k);
  const out = new Map<number, string>();
  for (const c of sources) {
    // Follow chains (a variant whose standard form is itself Traditional) to a fixed point.
    let cur = c;
    for (let i = 0; i < 4 && !simplified.has(cur); i++) {
      const next = once(cur);
      if (next === cur) break;
      cur = next;
    }
    if (cur !== c) out.set(c.codePointAt(0)!, cur);
  }
  return out;
}

/** The folded form of a CJK run; the same string (no copy) when nothing in it folds. */
export function foldChineseScript(run: string): string {
  table ??= buildTable();
  let out: string | null = null;
  for (let i = 0; i < run.length; ) {
    const cp = run.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const to = table.get(cp);
    if (to !== undefined && out === null) out = run.slice(0, i);
    if (out !== null) out += to ?? run.slice(i, i + width);
    i += width;
  }
  return out ?? run;
}
