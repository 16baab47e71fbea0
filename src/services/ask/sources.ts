import type { PromptSource } from "../../../prompts/index.js";
import type { SearchChunkWithText } from "../search/search.js";
import type { AskSource } from "./events.js";

/** Numbers retrieved chunks [1]..[n] in rank order: the numbers the prompt shows and answers cite. */
export function numberSources(chunks: SearchChunkWithText[]): AskSource[] {
  return chunks.map((c, i) => ({
    n: i + 1,
    chunk_id: c.id,
    knowledge_base_id: c.kbId,
    document_id: c.documentId,
    document_version_id: c.documentVersionId,
    title: c.title,
    page_start: c.pageStart,
    page_end: c.pageEnd,
    heading_path: c.headingPath,
    char_start: c.charStart,
    char_end: c.charEnd,
    score: c.score,
    text: c.text,
  }));
}

function pageLabel(s: AskSource): string | undefined {
  if (s.page_start === null) return undefined;
  return s.page_end === null || s.page_end === s.page_start
    ? `${s.page_start}`
    : `${s.page_start}-${s.page_end}`;
}

export function toPromptSources(sources: AskSource[]): PromptSource[] {
  return sources.map((s) => {
    const pages = pageLabel(s);
    return { n: s.n, title: s.title, text: s.text, ...(pages ? { pages } : {}) };
  });
}

/** Citation numbers in an answer: "[2]", "[1][3]" and "[1, 3]" all count. */
export function citedNumbers(answer: string): number[] {
  const found = new Set<number>();
  for (const m of answer.matchAll(/\[(\d{1,4}(?:\s*,\s*\d{1,4})*)\]/g)) {
    for (const n of m[1]!.split(",")) found.add(Number(n.trim()));
  }
  return [...found].sort((a, b) => a - b);
}

export function splitCitations(
  answer: string,
  sourceCount: number,
): { citations: number[]; unknown: number[] } {
  const all = citedNumbers(answer);
  return {
    citations: all.filter((n) => n >= 1 && n <= sourceCount),
    unknown: all.filter((n) => n < 1 || n > sourceCount),
  };
}
