import type { Chunk } from "../types.js";
import { normalizeText } from "./normalize.js";
import type { OutlineEntry } from "./pdf-worker.js";

interface Placed {
  /** Titles of the entry and its ancestors, outermost first. */
  path: string[];
  page: number;
  /** Offset in the document text where the entry begins, once its page has arrived. */
  start: number | null;
}

/**
 * A PDF's outline (bookmarks) as heading paths. An entry begins where its title appears on the page
 * its destination opens (else at the start of that page); a chunk gets the path of the entry in effect
 * at its middle, so a chunk that only overlaps into a new chapter keeps the chapter it is mostly in.
 * Chunk boundaries do not change: PDF text is chunked while pages stream in, before later entries are
 * placed.
 */
export class OutlinePaths {
  private readonly entries: Placed[] = [];
  private readonly byPage = new Map<number, Placed[]>();

  constructor(outline: OutlineEntry[]) {
    const stack: string[] = [];
    for (const e of outline) {
      stack.length = Math.min(stack.length, e.level - 1);
      while (stack.length < e.level - 1) stack.push(stack.at(-1) ?? "");
      stack.push(e.title);
      const placed: Placed = { path: stack.filter(Boolean), page: e.page, start: null };
      this.entries.push(placed);
      const list = this.byPage.get(e.page) ?? [];
      list.push(placed);
      this.byPage.set(e.page, list);
    }
  }

  get empty(): boolean {
    return this.entries.length === 0;
  }

  /** Page `num`, whose raw text was appended as one block ending at document offset `end`. */
  page(num: number, raw: string, end: number): void {
    const here = this.byPage.get(num);
    if (!here) return;
    const text = normalizeText(raw);
    const pageStart = end - text.length;
    const lower = text.toLowerCase();
    let from = 0;
    for (const entry of here) {
      const at = lower.indexOf(entry.path.at(-1)!.toLowerCase(), from);
      entry.start = pageStart + (at >= 0 ? at : from);
      if (at >= 0) from = at;
    }
  }

  /** Sets each chunk's heading path from the outline (chunks of placed pages only). */
  apply(chunks: Chunk[]): void {
    if (this.empty) return;
    for (const c of chunks) c.headingPath = this.at((c.charStart + c.charEnd) / 2);
  }

  private at(offset: number): string[] {
    let best: Placed | null = null;
    for (const e of this.entries) {
      if (e.start !== null && e.start <= offset && (best === null || e.start >= best.start!)) best = e;
    }
    return best ? best.path : [];
  }
}
