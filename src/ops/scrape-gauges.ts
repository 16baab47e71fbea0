import { Gauge, type Registry } from "prom-client";
import type { ReadinessCheck } from "../context.js";

/** Counts read from shared state when Prometheus scrapes; every field optional (tests pass what they have). */
export interface ScrapeSources {
  /** Document versions by status and (failed ones) error code, across every organization. */
  documents?: () => Promise<{ status: string; errorCode: string | null; count: number }[]>;
  /** Stage durations (ms) of versions finished in the last hour: p50/p95 per stage (parse, embed, index, total). */
  stages?: () => Promise<{ stage: string; p50: number; p95: number; count: number }[]>;
  /** Ingestion jobs by state (waiting, active, delayed, failed) in the queue. */
  queue?: () => Promise<Record<string, number>>;
  /** The readiness checks (/readyz): each is a component with its health. */
  readiness?: ReadinessCheck[];
  /** The SLA's request log of this process: rows waiting to be written, rows dropped (buffer full). */
  requestLog?: { pending(): number; dropped(): number };
}

const STATUSES = ["queued", "processing", "ready", "failed"];

/**
 * Gauges computed at scrape from the database, Redis and the readiness checks: several API processes and
 * workers change documents, and the shared stores are the one place that knows them all. A source that
 * fails leaves its gauges empty and sets `aihub_scrape_source_up{source}` to 0: /metrics itself never
 * fails because the database is down (that is when it matters most).
 */
export function registerScrapeGauges(registry: Registry, s: ScrapeSources) {
  const sourceUp = new Gauge({
    name: "aihub_scrape_source_up",
    help: "Whether the source of the scrape-time gauges answered (documents, stages, queue)",
    labelNames: ["source"],
    registers: [registry],
  });
  // One read per scrape feeds both document gauges (the registry collects them concurrently).
  let last: { at: number; rows: ReturnType<NonNullable<ScrapeSources["documents"]>> } | null = null;
  const documentRows = async () => {
    if (!s.documents) return null;
    if (!last || Date.now() - last.at > 1000) last = { at: Date.now(), rows: s.documents() };
    try {
      const rows = await last.rows;
      sourceUp.set({ source: "documents" }, 1);
      return rows;
    } catch {
      sourceUp.set({ source: "documents" }, 0);
      return null;
    }
  };
  const versions: Gauge<"status"> = new Gauge({
    name: "aihub_documents",
    help: "Document versions by status (queued, processing, ready, failed)",
    labelNames: ["status"],
    registers: [registry],
    async collect() {
      versions.reset();
      const rows = await documentRows();
      if (!rows) return;
      // Every status is a series, at 0 when empty, so an alert on "processing" always has data.
      for (const status of STATUSES) versions.set({ status }, 0);
      for (const r of rows) if (r.count > 0) versions.inc({ status: r.status }, r.count);
    },
  });
  const failures: Gauge<"code"> = new Gauge({
    name: "aihub_document_failures",
    help: "Failed document versions by error code",
    labelNames: ["code"],
    registers: [registry],
    async collect() {
      failures.reset();
      for (const r of (await documentRows()) ?? []) {
        if (r.status === "failed" && r.count > 0) failures.inc({ code: r.errorCode ?? "unknown" }, r.count);
      }
    },
  });
  const stages: Gauge<"stage" | "quantile"> = new Gauge({
    name: "aihub_ingest_stage_seconds",
    help: "Ingestion stage durations of documents finished in the last hour, by stage and quantile (0.5, 0.95)",
    labelNames: ["stage", "quantile"],
    registers: [registry],
    async collect() {
      stages.reset();
      if (!s.stages) return;
      try {
        for (const r of await s.stages()) {
          if (Number.isFinite(r.p50)) stages.set({ stage: r.stage, quantile: "0.5" }, r.p50 / 1000);
          if (Number.isFinite(r.p95)) stages.set({ stage: r.stage, quantile: "0.95" }, r.p95 / 1000);
        }
        sourceUp.set({ source: "stages" }, 1);
      } catch {
        sourceUp.set({ source: "stages" }, 0);
      }
    },
  });
  const queue: Gauge<"state"> = new Gauge({
    name: "aihub_queue_jobs",
    help: "Ingestion jobs in the queue by state (waiting, active, delayed, failed)",
    labelNames: ["state"],
    registers: [registry],
    async collect() {
      queue.reset();
      if (!s.queue) return;
      try {
        for (const [state, n] of Object.entries(await s.queue())) {
          if (Number.isFinite(n)) queue.set({ state }, n);
        }
        sourceUp.set({ source: "queue" }, 1);
      } catch {
        sourceUp.set({ source: "queue" }, 0);
      }
    },
  });
  const components: Gauge<"component"> = new Gauge({
    name: "aihub_component_up",
    help: "Health of each component /readyz checks (database, vectors, redis): 1 up, 0 down",
    labelNames: ["component"],
    registers: [registry],
    async collect() {
      components.reset();
      await Promise.all(
        (s.readiness ?? []).map(async (r) => {
          const up = await r.check().catch(() => false);
          components.set({ component: r.name }, up ? 1 : 0);
        }),
      );
    },
  });
  const requestLog: Gauge<"state"> = new Gauge({
    name: "aihub_request_log_rows",
    help: "Rows of this process's SLA request log not yet written (pending) or lost to a full buffer (dropped)",
    labelNames: ["state"],
    registers: [registry],
    collect() {
      if (!s.requestLog) return;
      requestLog.set({ state: "pending" }, s.requestLog.pending());
      requestLog.set({ state: "dropped" }, s.requestLog.dropped());
    },
  });
  return { versions, failures, stages, queue, components, requestLog };
}
