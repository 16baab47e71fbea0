import { closeSync, fdatasync, fsyncSync, openSync, writev } from "node:fs";
import { promisify } from "node:util";

const writevAsync = promisify(writev);
const fdatasyncAsync = promisify(fdatasync);

interface Waiter {
  resolve: () => void;
  reject: (e: unknown) => void;
}

/**
 * Append-only log file with group commit: appends queue up while one write+fdatasync is in flight and
 * the next flush makes the whole batch durable at once. An append's promise resolves only after its
 * bytes are on disk, so an acknowledged write survives SIGKILL.
 */
export class WriteAheadLog {
  private fd: number;
  private pending: Buffer[] = [];
  private waiters: Waiter[] = [];
  private flushing: Promise<void> | null = null;
  private retired: number[] = [];
  /** Bytes appended since the log was last rotated. */
  bytes = 0;

  constructor(path: string, dir: string) {
    this.fd = openLog(path, dir);
  }

  append(frame: Buffer): Promise<void> {
    this.pending.push(frame);
    this.bytes += frame.length;
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      if (!this.flushing) this.flushing = this.flushLoop();
    });
  }

  /**
   * Switches to a new file synchronously: every append from now on lands in it. Frames already queued
   * may land there too; replay skips them by sequence number, so that is harmless.
   */
  rotate(path: string, dir: string): void {
    this.retired.push(this.fd);
    this.fd = openLog(path, dir);
    this.bytes = 0;
    if (!this.flushing) this.closeRetired();
  }

  /** Resolves once everything appended so far is durable. */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  async close(): Promise<void> {
    await this.drain();
    this.closeRetired();
    closeSync(this.fd);
  }

  private async flushLoop(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending;
      const waiters = this.waiters;
      this.pending = [];
      this.waiters = [];
      const fd = this.fd;
      try {
        let written = 0;
        const total = batch.reduce((n, b) => n + b.length, 0);
        let rest = batch;
        while (written < total) {
          const { bytesWritten: n } = await writevAsync(fd, rest);
          written += n;
          if (written < total) rest = [Buffer.concat(batch).subarray(written)];
        }
        await fdatasyncAsync(fd);
        for (const w of waiters) w.resolve();
      } catch (e) {
        for (const w of waiters) w.reject(e);
      }
      this.closeRetired();
    }
    this.flushing = null;
  }

  private closeRetired(): void {
    for (const fd of this.retired) closeSync(fd);
    this.retired = [];
  }
}

function openLog(path: string, dir: string): number {
  const fd = openSync(path, "a");
  // Make the new file's directory entry durable too, or a crash could lose the whole file.
  const dirFd = openSync(dir, "r");
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
  return fd;
}
