import { type DotKernel, dotKernel, simdAvailable } from "./dot-kernel.js";
import { dotAt } from "./scoring.js";

/** Rows per block: partitions grow a block at a time and a block is scored in one kernel call. */
export const BLOCK_ROWS = 256;
const PAGE = 65536;

/**
 * The dense vectors of one named vector of a collection, in fixed-size blocks of one growable buffer
 * (WebAssembly memory when the SIMD kernel is usable, so it can score in place). One arena per
 * collection rather than per partition: each WebAssembly memory reserves gigabytes of address space,
 * so thousands of tenants could not each have one. Freed blocks (dropped or compacted partitions) are
 * reused. The start of the buffer holds the query and one block of scores.
 */
export class DenseArena {
  private memory: WebAssembly.Memory | null = null;
  private kernel: DotKernel | null = null;
  /** Float view of the whole buffer; replaced when the buffer grows, so never keep it across calls. */
  view: Float32Array;
  private readonly blockFloats: number;
  private readonly header: number;
  private blocks = 0;
  private readonly free: number[] = [];

  constructor(readonly dim: number) {
    this.blockFloats = dim * BLOCK_ROWS;
    // Whole rows, so a float offset divided by dim is a row number (the scalar path relies on it).
    this.header = dim * Math.ceil((dim + BLOCK_ROWS) / dim);
    const bytes = this.header * 4;
    if (dim % 8 === 0 && simdAvailable()) {
      this.memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / PAGE) });
      this.kernel = dotKernel(this.memory);
      this.view = new Float32Array(this.memory.buffer);
    } else {
      this.view = new Float32Array(this.header);
    }
  }

  /** Float offset of row `row` of block `block`. */
  offset(block: number, row: number): number {
    return this.header + block * this.blockFloats + row * this.dim;
  }

  allocBlock(): number {
    const reused = this.free.pop();
    if (reused !== undefined) return reused;
    const block = this.blocks++;
    const needed = this.offset(this.blocks, 0);
    if (needed > this.view.length) this.grow(needed);
    return block;
  }

  freeBlock(block: number): void {
    this.free.push(block);
  }

  private grow(floats: number): void {
    const target = Math.max(floats, this.view.length * 2);
    if (this.memory) {
      const pages = Math.ceil((target * 4) / PAGE) - this.memory.buffer.byteLength / PAGE;
      try {
        this.memory.grow(pages);
      } catch {
        try {
          this.memory.grow(Math.ceil((floats * 4) / PAGE) - this.memory.buffer.byteLength / PAGE);
        } catch {
          throw new Error(
            `the embedded engine cannot hold more ${this.dim}-dimensional vectors (4 GiB per vector name); set QDRANT_URL to use a Qdrant server`,
          );
        }
      }
      this.view = new Float32Array(this.memory.buffer);
    } else {
      const next = new Float32Array(target);
      next.set(this.view);
      this.view = next;
    }
  }

  /**
   * Scores `n` rows of `block` against `q` (already placed with `setQuery`) and returns the scores.
   * The returned array is reused by the next call.
   */
  scoreBlock(block: number, n: number): Float32Array {
    const dim = this.dim;
    const out = dim; // scores live right after the query in the header
    if (this.kernel) {
      this.kernel(0, this.offset(block, 0) * 4, n, dim, out * 4);
    } else {
      const view = this.view;
      const q = view.subarray(0, dim);
      const firstRow = this.offset(block, 0) / dim;
      for (let r = 0; r < n; r++) view[out + r] = dotAt(q, view, firstRow + r);
    }
    return this.view.subarray(out, out + n);
  }

  setQuery(q: Float32Array): void {
    this.view.set(q, 0);
  }
}
