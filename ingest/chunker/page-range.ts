import type { ParsedDocument } from "../types.js";

type Pages = ParsedDocument["pages"];

/** Non-empty pages in text order: what pageRange searches. */
export function searchablePages(pages: Pages): Pages {
  return pages.filter((p) => p.end > p.start).sort((a, b) => a.start - b.start);
}

/** First and last page numbers of text[start, end), or nulls for an unpaged document. */
export function pageRange(pages: Pages, start: number, end: number): [number | null, number | null] {
  if (pages.length === 0) return [null, null];
  // First page ending after start; last page starting before end.
  let lo = 0;
  let hi = pages.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (pages[mid]!.end <= start) lo = mid + 1;
    else hi = mid;
  }
  const first = pages[Math.min(lo, pages.length - 1)]!;
  lo = 0;
  hi = pages.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (pages[mid]!.start < end) lo = mid + 1;
    else hi = mid;
  }
  const last = pages[Math.max(lo - 1, 0)]!;
  return [first.number, Math.max(first.number, last.number)];
}
