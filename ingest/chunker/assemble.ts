import type { ChunkingOptions } from "../types.js";
import type { Atom } from "./atoms.js";
import { overlapStart } from "./overlap.js";
import { countTokens } from "./tokens.js";

/**
 * A chunk is never filled below this share of its budget just to end at a stronger boundary;
 * above it, a paragraph end beats a line end beats a sentence end beats a word gap.
 */
const MIN_FILL = 0.5;

/** Programming errors only: user input is validated by chunkingSchema before it gets here. */
export function checkChunkingOptions({ chunkSize, chunkOverlap }: ChunkingOptions): void {
  if (!(chunkSize > 0) || chunkOverlap < 0 || chunkOverlap >= chunkSize) {
    throw new RangeError(`Invalid chunking options: chunkSize ${chunkSize}, chunkOverlap ${chunkOverlap}`);
  }
}

export type EmitChunk = (start: number, end: number, tokens: number) => void;

/**
 * Assembles one section's atoms into chunks. Atoms may arrive in instalments (a PDF streamed page by
 * page): drain() then emits only the chunks that atoms still to come cannot change, and emits the
 * rest once told the section is complete, so the result is the same as with all atoms at once.
 */
export class SectionAssembler {
  private readonly atoms: Atom[] = [];
  private next = 0;
  /** Where the next chunk starts when it repeats the end of the previous one (overlap). */
  private carried: number | null = null;

  private readonly opts: ChunkingOptions;
  private readonly emit: EmitChunk;

  constructor(opts: ChunkingOptions, emit: EmitChunk) {
    this.opts = opts;
    this.emit = emit;
  }

  add(atoms: Atom[]): void {
    for (const atom of atoms) this.atoms.push(atom);
  }

  /** The earliest text offset a chunk still to come can start at (null: none pending). */
  firstNeeded(): number | null {
    const pending = this.atoms[this.next]?.start;
    if (this.carried === null) return pending ?? null;
    return pending === undefined ? this.carried : Math.min(this.carried, pending);
  }

  /** The text now starts `delta` characters later (see ChunkStream): shift what is pending, drop the rest. */
  rebase(delta: number): void {
    this.atoms.splice(0, this.next);
    this.next = 0;
    for (const atom of this.atoms) {
      atom.start -= delta;
      atom.end -= delta;
    }
    if (this.carried !== null) this.carried -= delta;
  }

  drain(text: string, complete: boolean): void {
    const { chunkSize, chunkOverlap } = this.opts;
    const atoms = this.atoms;
    while (this.next < atoms.length) {
      const i = this.next;
      let carried = this.carried;
      let overlapTokens = carried === null ? 0 : countTokens(text.slice(carried, atoms[i]!.start));
      if (atoms[i]!.tokens > chunkSize - overlapTokens) {
        carried = null;
        overlapTokens = 0;
      }
      const budget = chunkSize - overlapTokens;
      const greedy = greedyEnd(atoms, i, budget);
      // Filled up to the last atom known so far: more atoms could still fit, so wait for them.
      if (!complete && greedy === atoms.length && greedy > i) return;
      let j = cutAfter(atoms, i, greedy, budget);
      const from = carried ?? atoms[i]!.start;
      let span = trim(text, from, atoms[j - 1]!.end);
      let tokens = countTokens(text.slice(span[0], span[1]));
      // Atom counts are summed, and BPE across atom joins almost always merges (so sums overestimate);
      // when it does not, give back atoms until the exact count fits.
      while (tokens > chunkSize && j - 1 > i) {
        j--;
        span = trim(text, from, atoms[j - 1]!.end);
        tokens = countTokens(text.slice(span[0], span[1]));
      }
      if (span[1] > span[0]) this.emit(span[0], span[1], tokens);
      this.next = j;
      // Before the section is complete there may always be more atoms, so always prepare the overlap.
      const more = j < atoms.length || !complete;
      this.carried = more && chunkOverlap > 0 ? overlapStart(text, span[0], span[1], chunkOverlap) : null;
    }
  }
}

/** Index after the last atom that fits the budget greedily from atom i. */
function greedyEnd(atoms: Atom[], i: number, budget: number): number {
  let sum = 0;
  let j = i;
  while (j < atoms.length && sum + atoms[j]!.tokens <= budget) sum += atoms[j++]!.tokens;
  return j;
}

/** Index after the last atom of the chunk starting at atom i: greedy fill, then back off to the best boundary. */
function cutAfter(atoms: Atom[], i: number, greedy: number, budget: number): number {
  const j = greedy;
  if (j === i) return i + 1;
  if (j === atoms.length) return j;
  let filled = 0;
  for (let k = i; k < j; k++) filled += atoms[k]!.tokens;
  let best = j - 1;
  for (let k = j - 1; k > i; k--) {
    filled -= atoms[k]!.tokens;
    if (filled < budget * MIN_FILL) break;
    if (atoms[k - 1]!.break > atoms[best]!.break) best = k - 1;
  }
  return best + 1;
}

const SPACE = /\s/;

function trim(text: string, start: number, end: number): [number, number] {
  let s = start;
  let e = end;
  while (s < e && SPACE.test(text[s]!)) s++;
  while (e > s && SPACE.test(text[e - 1]!)) e--;
  return [s, e];
}
