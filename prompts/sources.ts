/**
 * How retrieved text is put into a prompt (and read back out, for tests of the format; models get the
 * sources as data, see PromptMessage.grounding).
 * Each source is a <source id="n" title="..." pages="..."> element; the question is a <question> element.
 * Text is data, never markup: any "<source", "</source", "<question" or "</question" inside it is
 * escaped so a document cannot close its element early and smuggle instructions outside it.
 */

export interface PromptSource {
  n: number;
  title: string;
  /** Page or page range as it should be shown, e.g. "3" or "3-5". */
  pages?: string;
  text: string;
}

const TAG_OPEN = /<(\/?)(source|question)/gi;
const TAG_OPEN_ESCAPED = /&lt;(\/?)(source|question)/gi;

export function escapeSourceText(text: string): string {
  return text.replace(TAG_OPEN, "&lt;$1$2");
}

function unescapeSourceText(text: string): string {
  return text.replace(TAG_OPEN_ESCAPED, "<$1$2");
}

function escapeAttribute(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/"/g, "&quot;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/[\r\n]+/g, " ");
}

function unescapeAttribute(value: string): string {
  return value.replace(
    /&(quot|lt|gt|amp);/g,
    (_m, e: string) => ({ quot: '"', lt: "<", gt: ">", amp: "&" })[e]!,
  );
}

export function formatSources(sources: PromptSource[], emptyText: string): string {
  if (sources.length === 0) return emptyText;
  return sources
    .map((s) => {
      if (!Number.isInteger(s.n) || s.n < 1)
        throw new Error(`source numbers must be positive integers, got ${s.n}`);
      const pages = s.pages ? ` pages="${escapeAttribute(s.pages)}"` : "";
      return `<source id="${s.n}" title="${escapeAttribute(s.title)}"${pages}>\n${escapeSourceText(s.text)}\n</source>`;
    })
    .join("\n\n");
}

export function formatQuestion(question: string): string {
  return escapeSourceText(question);
}

/** Reads back the sources and question from a user message built by renderPrompt. */
export function parseRenderedPrompt(userMessage: string): {
  question: string;
  sources: { n: number; title: string; text: string }[];
} {
  const sources: { n: number; title: string; text: string }[] = [];
  for (const m of userMessage.matchAll(
    /<source id="(\d+)"(?: title="([^"]*)")?[^>]*>\n?([\s\S]*?)\n?<\/source>/g,
  )) {
    sources.push({
      n: Number(m[1]),
      title: unescapeAttribute(m[2] ?? ""),
      text: unescapeSourceText(m[3] ?? ""),
    });
  }
  const q = /<question>\n?([\s\S]*?)\n?<\/question>/.exec(userMessage);
  return { question: unescapeSourceText(q?.[1] ?? "").trim(), sources };
}
