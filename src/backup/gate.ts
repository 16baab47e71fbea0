/**
 * The backup's write barrier over the vector index and the blob store. Writes pass freely until a
 * backup closes the gate: then new writes wait, the backup waits for writes already under way, takes
 * its copies, and reopens. Database writes are not held: PGlite's dump is itself atomic, and it is
 * taken inside the barrier, so the vectors and blobs copied are exactly those of the dump's instant.
 */
export class WriteGate {
  private inFlight = 0;
  private closed: Promise<void> | null = null;
  private reopen: (() => void) | null = null;
  private drained: (() => void) | null = null;

  /** Runs one write, waiting while a backup holds the gate. */
  async write<T>(fn: () => Promise<T>): Promise<T> {
    while (this.closed) await this.closed;
    this.inFlight++;
    try {
      return await fn();
    } finally {
      this.inFlight--;
      if (this.inFlight === 0) this.drained?.();
    }
  }

  /**
   * Holds new writes, waits (at most `timeoutMs`) for running ones, runs `fn`, then lets writes go.
   * Throws, with the gate reopened, when writes did not finish in time.
   */
  async hold<T>(
    fn: () => Promise<T>,
    timeoutMs: number,
  ): Promise<{ value: T; waitedMs: number; heldMs: number }> {
    while (this.closed) await this.closed;
    this.closed = new Promise<void>((r) => {
      this.reopen = r;
    });
    const started = performance.now();
    try {
      if (this.inFlight > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          new Promise<void>((r) => {
            this.drained = r;
          }),
          new Promise<never>((_, reject) => {
            timer = setTimeout(
              () => reject(new Error(`writes still running after ${timeoutMs} ms; try the backup again`)),
              timeoutMs,
            );
          }),
        ]).finally(() => clearTimeout(timer));
      }
      const waitedMs = performance.now() - started;
      const value = await fn();
      return { value, waitedMs, heldMs: performance.now() - started };
    } finally {
      this.drained = null;
      const reopen = this.reopen;
      this.closed = null;
      this.reopen = null;
      reopen?.();
    }
  }
}
