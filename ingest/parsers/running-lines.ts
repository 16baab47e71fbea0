/**
 * Running headers and footers ("INTRODUCTION 5", "<http://free-culture.org/get-it>", a bare page
 * number) repeat at the top or bottom of the pages of a book or paper. Left in, they land in the
 * middle of chunks, split sentences that run across a page break and add the same words to every
 * chunk's keywords. A line counts as one when, with its numbers ignored, it is among the first or last
 * EDGE_LINES lines of at least MIN_PAGES of the last WINDOW pages: recent pages rather than all, so the
 * header of each part of a book is found too, not only the one on every page.
 *
 * Pages arrive one at a time (the PDF pipeline streams), so a header is only recognised from its
 * MIN_PAGES-th page on; the pages before keep it.
 */
const EDGE_LINES = 2;
const MIN_PAGES = 3;
const WINDOW = 12;
/** Longer lines are body text, whatever repeats. */
const MAX_LINE = 120;

export class RunningLines {
  /** Line key -> pages of the window where it was an edge line. */
  private readonly counts = new Map<string, number>();
  /** Edge-line keys of the last WINDOW pages, oldest first. */
  private readonly recent: Set<string>[] = [];

  /** One page's text without the running headers and footers recognised so far. */
  strip(pageText: string): string {
    const lines = pageText.split("\n");
    const filled: number[] = [];
    for (let i = 0; i < lines.length; i++) if (lines[i]!.trim()) filled.push(i);
    const keys = new Map<number, string>();
    for (const i of new Set([...filled.slice(0, EDGE_LINES), ...filled.slice(-EDGE_LINES)])) {
      const key = lineKey(lines[i]!);
      if (key !== null) keys.set(i, key);
    }
    this.remember(new Set(keys.values()));
    const drop = new Set<number>();
    for (const [i, key] of keys) if ((this.counts.get(key) ?? 0) >= MIN_PAGES) drop.add(i);
    // Removed, not blanked: an empty line in their place would read as a paragraph break.
    return drop.size === 0 ? pageText : lines.filter((_, i) => !drop.has(i)).join("\n");
  }

  private remember(page: Set<string>): void {
    this.recent.push(page);
    for (const key of page) this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    if (this.recent.length <= WINDOW) return;
    for (const key of this.recent.shift()!) {
      const n = this.counts.get(key)! - 1;
      if (n === 0) this.counts.delete(key);
      else this.counts.set(key, n);
    }
  }
}

/** What repeats from page to page: the line without its numbers, case and spacing. Null: not a candidate. */
function lineKey(line: string): string | null {
  const trimmed = line.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_LINE) return null;
  return trimmed.toLowerCase().replace(/\d+/g, "#").replace(/\s+/g, " ");
}
