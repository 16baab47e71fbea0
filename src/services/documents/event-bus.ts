import type { AppDeps } from "../../context.js";

export const DOCUMENT_EVENTS_CHANNEL = "aihub_document_events";

type Listener = () => void;

/**
 * One per API process: every open `/documents/{id}/events` stream subscribes here, and the process
 * LISTENs once on the database's document channel (a trigger NOTIFYs it on every change of a document
 * or its versions, whoever made the change: the in-process pipeline or a worker on another machine).
 * A notification wakes only the streams of that document; nothing is polled per stream. The database
 * connection is held only while some stream is open.
 */
export class DocumentEventBus {
  private readonly listeners = new Map<string, Set<Listener>>();
  private count = 0;
  private stop: Promise<(() => Promise<void>) | null> | null = null;
  /** False when LISTEN is unavailable or failed: streams then re-read on their keep-alive timer. */
  pushing = false;

  constructor(private readonly deps: Pick<AppDeps, "database" | "logger">) {}

  /** Calls `onChange` whenever the document may have changed; returns the unsubscribe function. */
  async subscribe(documentId: string, onChange: Listener): Promise<() => void> {
    let set = this.listeners.get(documentId);
    if (!set) {
      set = new Set();
      this.listeners.set(documentId, set);
    }
    set.add(onChange);
    this.count++;
    this.stop ??= this.start();
    await this.stop;
    let done = false;
    return () => {
      if (done) return;
      done = true;
      set.delete(onChange);
      if (set.size === 0) this.listeners.delete(documentId);
      if (--this.count === 0) void this.release();
    };
  }

  /** Streams currently subscribed (for tests and metrics). */
  get size(): number {
    return this.count;
  }

  private async start(): Promise<(() => Promise<void>) | null> {
    const listen = this.deps.database.listen;
    if (!listen) return null;
    try {
      const stop = await listen.call(this.deps.database, DOCUMENT_EVENTS_CHANNEL, (id) => this.publish(id));
      this.pushing = true;
      return stop;
    } catch (err) {
      this.deps.logger.warn({ err }, "could not LISTEN for document events; streams re-read on their timer");
      return null;
    }
  }

  private async release(): Promise<void> {
    const pending = this.stop;
    this.stop = null;
    const stop = await pending;
    this.pushing = false;
    // A stream may have subscribed again while the listener was being set up: keep it then.
    if (this.count > 0) {
      this.stop = Promise.resolve(stop);
      this.pushing = stop !== null;
      return;
    }
    await stop?.().catch(() => {});
  }

  publish(documentId: string): void {
    const set = this.listeners.get(documentId);
    if (set) for (const l of [...set]) l();
  }
}

const buses = new WeakMap<object, DocumentEventBus>();

/** The process's bus for these deps (created on first use, so entries need not compose it). */
export function documentEventBus(deps: Pick<AppDeps, "database" | "logger">): DocumentEventBus {
  let bus = buses.get(deps.database);
  if (!bus) {
    bus = new DocumentEventBus(deps);
    buses.set(deps.database, bus);
  }
  return bus;
}
