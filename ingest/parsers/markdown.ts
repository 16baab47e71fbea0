import type { ParsedDocument } from "../types.js";
import { decodeBytes } from "./decode.js";
import { emptyDocument } from "./errors.js";
import { MAX_HEADING_CHARS } from "./limits.js";
import { hasText, headingLabel, normalizeText } from "./normalize.js";
import { sensibleTitle } from "./title.js";

/**
 * Markdown stays Markdown: the text keeps its syntax ("# " heading lines, lists, tables, code blocks),
 * which embeds and reads fine. Two things change: HTML tags used for layout in READMEs (<p align>,
 * <img>, badges) are removed outside code blocks, and ATX/setext headings are recorded in headings[].
 */
export function parseMarkdown(bytes: Uint8Array, charset?: string | null): ParsedDocument {
  const decoded = decodeBytes(bytes, charset).text.replace(/\r\n?/g, "\n");
  const text = normalizeText(mapOutsideCode(decoded, stripLayoutHtml), { preserveIndent: true });
  if (!hasText(text)) throw emptyDocument("Markdown file");
  const { headings, frontMatterTitle } = scanHeadings(text);
  // Only a level-1 heading names the document; READMEs that start at "## Getting started" have no title.
  const title = sensibleTitle(frontMatterTitle) ?? sensibleTitle(headings.find((h) => h.level === 1)?.text);
  return { format: "markdown", title, text, pages: [], headings };
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const LAYOUT_TAGS =
  "a|abbr|b|br|center|details|div|em|font|h[1-6]|hr|i|img|kbd|li|ol|p|picture|source|span|strong|sub|summary|sup|table|tbody|td|th|thead|tr|u|ul|video";
const HTML_TAG = new RegExp(`</?(?:${LAYOUT_TAGS})(?:\\s[^<>]*)?/?>`, "gi");

function stripLayoutHtml(line: string): string {
  const stripped = line.replace(/<!--[\s\S]*?-->/g, "").replace(HTML_TAG, "");
  // The indentation of HTML source is layout, and would turn the remaining text into a code block.
  return stripped === line ? line : stripped.trim();
}

/** Applies fn to every line that is not inside a fenced code block (code is kept verbatim). */
function mapOutsideCode(text: string, fn: (line: string) => string): string {
  let fence: string | null = null;
  return text
    .split("\n")
    .map((line) => {
      const open = FENCE.exec(line)?.[1];
      if (fence) {
        if (open && open[0] === fence[0] && open.length >= fence.length) fence = null;
        return line;
      }
      if (open) {
        fence = open;
        return line;
      }
      return fn(line);
    })
    .join("\n");
}

const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;
const NOT_PARAGRAPH = /^\s*$|^ {0,3}([-*+] |\d+[.)] |>|#|```|~~~|\|)|^ {4}/;

function scanHeadings(text: string): {
  headings: ParsedDocument["headings"];
  frontMatterTitle: string | null;
} {
  const headings: ParsedDocument["headings"] = [];
  const lines = text.split("\n");
  let offset = 0;
  let fence: string | null = null;
  let frontMatterTitle: string | null = null;
  let i = 0;
  // YAML front matter: its closing "---" would otherwise read as a setext underline.
  if (lines[0] === "---") {
    const end = lines.indexOf("---", 1);
    if (end > 0) {
      for (const line of lines.slice(1, end)) {
        const m = /^title:\s*["']?(.*?)["']?\s*$/.exec(line);
        if (m) frontMatterTitle = m[1]!;
      }
      for (; i <= end; i++) offset += lines[i]!.length + 1;
    }
  }
  let previous: { line: string; start: number } | null = null;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    const start = offset;
    offset += line.length + 1;
    const open = FENCE.exec(line)?.[1];
    if (fence) {
      if (open && open[0] === fence[0] && open.length >= fence.length) fence = null;
      previous = null;
      continue;
    }
    if (open) {
      fence = open;
      previous = null;
      continue;
    }
    const atx = ATX.exec(line);
    if (atx?.[2]) {
      headings.push({ level: atx[1]!.length, text: plainHeading(atx[2]), start });
      previous = null;
      continue;
    }
    const setext = SETEXT.exec(line);
    if (setext && previous && hasText(previous.line)) {
      const level = setext[1]![0] === "=" ? 1 : 2;
      headings.push({ level, text: plainHeading(previous.line.trim()), start: previous.start });
      previous = null;
      continue;
    }
    previous = NOT_PARAGRAPH.test(line) ? null : { line, start };
  }
  return { headings, frontMatterTitle };
}

/** Heading text for heading paths: links, images, emphasis and code marks reduced to their words. */
function plainHeading(raw: string): string {
  // Cut first (the replacements are not linear on a hostile megabyte-long line), then cap the result.
  const head = raw.length > 4 * MAX_HEADING_CHARS ? raw.slice(0, 4 * MAX_HEADING_CHARS) : raw;
  return headingLabel(
    head
      .replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1")
      .replace(/(\*\*|__)(.+?)\1/g, "$2")
      .replace(/`([^`]+)`/g, "$1")
      .replace(/\s+/g, " ")
      .trim(),
  );
}
