import { lt } from "drizzle-orm";
import type { Logger } from "../context.js";
import type { Db } from "../db/client.js";
import { requestLog } from "../db/schema.js";
import type { RequestLog, RequestLogRow } from "./request-log-types.js";

export type { RequestLog, RequestLogRow } from "./request-log-types.js";

/** Rows kept in memory while the database is unreachable; beyond it the oldest are dropped (and counted). */
const MAX_BUFFER = 20_000;
const BATCH = 1_000;

/**
 * Buffers rows and inserts them in batches every `intervalMs`, so a request never waits on this write
 * and a busy process makes one INSERT per second rather than one per request. A failed insert keeps the
 * rows for the next round (up to MAX_BUFFER): an outage of the database loses at most the overflow.
 * Each process prunes rows past the retention once an hour; several processes doing it is harmless.
 */
export function createRequestLog(opts: {
  db: Db;
  logger: Logger;
  retentionDays: number;
  intervalMs?: number;
}): RequestLog & { dropped(): number; pending(): number } {
  let buffer: RequestLogRow[] = [];
  let dropped = 0;
  let writing: Promise<void> | null = null;
  let lastPrune = 0;
  const write = async () => {
    while (buffer.length > 0) {
      const batch = buffer.slice(0, BATCH);
      try {
        await opts.db.insert(requestLog).values(batch);
        buffer = buffer.slice(batch.length);
      } catch (err) {
        opts.logger.warn({ err, buffered: buffer.length }, "request log: insert failed; will retry");
        return;
      }
    }
    if (Date.now() - lastPrune > 3_600_000) {
      lastPrune = Date.now();
      const cutoff = new Date(Date.now() - opts.retentionDays * 86_400_000);
      await opts.db
        .delete(requestLog)
        .where(lt(requestLog.at, cutoff))
        .catch((err) => opts.logger.warn({ err }, "request log: prune failed"));
    }
  };
  const flush = () => {
    if (!writing) writing = write().finally(() => (writing = null));
    return writing;
  };
  const timer = setInterval(() => void flush(), opts.intervalMs ?? 1_000);
  timer.unref();
  return {
    record(row) {
      if (buffer.length >= MAX_BUFFER) {
        buffer.shift();
        dropped++;
      }
      buffer.push({ ...row, durationMs: Math.max(0, Math.round(row.durationMs)) });
    },
    async flush() {
      await writing;
      await flush();
    },
    async close() {
      clearInterval(timer);
      await writing;
      await flush();
    },
    dropped: () => dropped,
    pending: () => buffer.length,
  };
}
