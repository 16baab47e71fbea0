/**
 * Turns source text into plain prose before it is quoted: Markdown syntax (links, images, emphasis,
 * code, headings, list markers, table pipes), HTML-like tags and bracketed reference numbers are removed.
 * Tags matter for safety as well as looks: a document containing `<source id="99">` must not come back
 * as markup, and a reference like "[12]" in a paper must not read as a citation of a source that does
 * not exist.
 */

const IMAGE = /!\[([^\]]*)\]\([^)]*\)/g;
const LINK = /\[([^\]]+)\]\((?:[^()\s]+|\([^)]*\))*(?:\s+"[^"]*")?\)/g;
const REF_LINK = /\[([^\]]+)\]\[[^\]]*\]/g;
const AUTOLINK = /<((?:https?|mailto):[^>\s]+)>/g;
const TAG = /<\/?[A-Za-z][\w:-]*(?:\s[^<>]*)?\/?>/g;
const CODE = /`{1,3}([^`]+)`{1,3}/g;
const STRONG = /(\*\*|__)(?=\S)([\s\S]*?\S)\1/g;
const EMPHASIS = /(^|[^\w*])([*_])(?=\S)([^*_\n]*?\S)\2(?![\w*])/g;
const STRIKE = /~~(?=\S)([\s\S]*?\S)~~/g;
/** Numbered references and citations in the source text itself: [3], [3, 4], [3-5]. */
const BRACKET_REF = /\s?\[\d{1,4}(?:\s*[,–-]\s*\d{1,4})*\]/g;
const ENTITY: Record<string, string> = { "&amp;": "&", "&quot;": '"', "&#39;": "'", "&nbsp;": " " };

/** Inline cleanup of one line or sentence. */
export function cleanInline(text: string): string {
  return text
    .replace(IMAGE, "$1")
    .replace(LINK, "$1")
    .replace(REF_LINK, "$1")
    .replace(AUTOLINK, "$1")
    .replace(TAG, " ")
    .replace(CODE, "$1")
    .replace(STRONG, "$2")
    .replace(STRIKE, "$1")
    .replace(EMPHASIS, "$1$3")
    .replace(BRACKET_REF, "")
    .replace(/&(?:amp|quot|#39|nbsp);/g, (e) => ENTITY[e] ?? e)
    .replace(/[<>]/g, (c) => (c === "<" ? "‹" : "›"))
    .replace(/\s+/g, " ")
    .trim();
}

export type LineKind = "blank" | "heading" | "item" | "rule" | "text";

/** What a line of Markdown-ish text is, and its content without the block syntax. */
export function classifyLine(line: string): { kind: LineKind; text: string } {
  const t = line.trim();
  if (t === "") return { kind: "blank", text: "" };
  if (/^#{1,6}\s/.test(t)) return { kind: "heading", text: t.replace(/^#+\s*/, "").replace(/\s*#+$/, "") };
  if (/^([-*_=]\s*){3,}$/.test(t) || /^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$/.test(t))
    return { kind: "rule", text: "" };
  const item = /^(?:[-*+•]|\d{1,3}[.)])\s+(.*)$/.exec(t);
  if (item) return { kind: "item", text: item[1]!.replace(/^\[[ xX]\]\s+/, "") };
  if (t.startsWith("|") && t.endsWith("|"))
    return {
      kind: "item",
      text: t
        .slice(1, -1)
        .split("|")
        .map((c) => c.trim())
        .filter(Boolean)
        .join(", "),
    };
  return { kind: "text", text: t.replace(/^>\s?/, "") };
}

const BOILERPLATE = [
  /^(?:copyright|©|\(c\))\s/i,
  /\ball rights reserved\b/i,
  /^(?:skip to (?:main )?content|back to top|read more|click here|share this|print this page)\b/i,
  /\b(?:cookies?|privacy policy|terms of (?:use|service))\b.*\b(?:accept|agree|consent)\b/i,
  /^(?:page \d+(?: of \d+)?|\d+\s*\/\s*\d+)$/i,
  /^版权所有|保留所有权利|^上一页|^下一页|^返回顶部/,
];

/** Navigation, legal footers and page counters: never an answer, however well they match. */
export function isBoilerplate(sentence: string): boolean {
  return BOILERPLATE.some((re) => re.test(sentence));
}
