import { and, eq, inArray, sql } from "drizzle-orm";
import { documentVersions } from "../../src/db/schema.js";
import { chunkIndexText } from "../../src/models/embedders/offline/index.js";
import { embedderPluginId } from "../../src/vector/collections.js";
import type { ChunkPoint } from "../../src/vector/types.js";
import { ParseError } from "../parsers/index.js";
import { DEFAULT_PARSE_LIMITS } from "../parsers/limits.js";
import { parseIsolatedBatch } from "../parsers/parse-pool.js";
import type { DocFormat } from "../types.js";
import {
  activateBatch,
  apportion,
  type IndexedMember,
  type ParsedMember,
  storeParsed,
} from "./batch-store.js";
import type { PipelineDeps } from "./deps.js";
import { isPermanentFailure, PermanentIngestError, reasonFor } from "./failure.js";
import { retireVersion } from "./finalize.js";
import { deleteVersionPoints, embedForKb } from "./kb-embedding.js";
import type { LoadedJob } from "./load.js";
import { loaderOfFormat } from "./plugin-format.js";
import { markFailed } from "./process.js";

/** Versions up to this size may be ingested in a batch; bigger ones take the single path. */
export const BATCH_MAX_BYTES = 64 * 1024;
/** Documents parsed per parse-thread message; several messages run on parallel threads. */
const PARSE_GROUP = 100;
/** Blob reads in flight at once (the PostgreSQL blob store reads each through the pool). */
const BLOB_READS = 16;

/**
 * Whether a loaded version can go through ingestBatch: small, not a PDF (PDFs stream through their
 * own thread) nor read by a loader plugin (its sandbox reads one file per call), and never started: a retry, a resumed crash or a second attempt always takes the
 * single path, which resumes from stored rows and isolates a document that broke a batch.
 */
export function isBatchable(job: LoadedJob): boolean {
  const v = job.version;
  return (
    v.status === "queued" &&
    v.attempts === 0 &&
    v.chunks === null &&
    v.format !== "pdf" &&
    !loaderOfFormat(v.format) &&
    v.sizeBytes <= BATCH_MAX_BYTES
  );
}

/**
 * A batch step failed for reasons that may not be any one document's (a thread limit, the vector
 * store, the database): every document of the batch is retried on its own, by its job's retries.
 */
export class BatchRetryError extends Error {
  constructor(cause: unknown) {
    super(`batch ingestion failed, retrying documents one by one: ${(cause as Error)?.message ?? cause}`);
    this.name = "BatchRetryError";
    this.cause = cause;
  }
}

export interface BatchMember {
  job: LoadedJob;
  keyId: string | null;
}

/** Per version: done (ready or skipped), or the error its job fails with (permanent or retried). */
export type BatchOutcome = { ok: true; outcome: "ready" | "skipped" } | { ok: false; error: unknown };

/**
 * ingestVersion for many small versions (of different documents) at once, with the single path's
 * guarantees and a fraction of its round trips: one status UPDATE, one parse-thread message per
 * hundred documents, one transaction of multi-row INSERTs for chunk rows and texts, one embedding
 * call, one vector upsert per tenant, one activation transaction with the ledger rows. A document
 * that fails parsing fails alone with its code; a failure of a shared step throws, and the caller
 * retries every document of the batch on the single path.
 */
export async function ingestBatch(
  deps: PipelineDeps,
  members: BatchMember[],
  signal: AbortSignal,
): Promise<Map<string, BatchOutcome>> {
  const { db } = deps.database;
  const out = new Map<string, BatchOutcome>();
  const started = performance.now();
  const now = new Date();
  const taken = await db
    .update(documentVersions)
    .set({
      status: "processing",
      attempts: sql`${documentVersions.attempts} + 1`,
      startedAt: now,
      updatedAt: now,
    })
    .where(
      and(
        inArray(
          documentVersions.id,
          members.map((m) => m.job.version.id),
        ),
        eq(documentVersions.status, "queued"),
      ),
    )
    .returning({ id: documentVersions.id });
  const mine = new Set(taken.map((r) => r.id));
  const live = members.filter((m) => {
    if (mine.has(m.job.version.id)) return true;
    out.set(m.job.version.id, { ok: true, outcome: "skipped" });
    return false;
  });
  for (const m of live) m.job.version.attempts += 1;

  const fail = async (m: BatchMember, err: unknown) => {
    const reason = reasonFor(err);
    await markFailed(deps, m.job.version.tenantId, m.job.version.id, reason);
    out.set(m.job.version.id, { ok: false, error: new PermanentIngestError(reason) });
  };

  // Originals: a missing blob fails its document alone, as on the single path.
  const bytes = new Map<string, Uint8Array>();
  await mapLimited(live, BLOB_READS, async (m) => {
    try {
      bytes.set(m.job.version.id, await deps.blobs.get(m.job.version.blobKey));
    } catch (err) {
      if ((err as Error)?.name === "BlobNotFoundError") await fail(m, err);
      else throw new BatchRetryError(err);
    }
  });
  const readable = live.filter((m) => bytes.has(m.job.version.id));

  const parseStarted = performance.now();
  const limits = deps.parseLimits ?? DEFAULT_PARSE_LIMITS;
  const groups: BatchMember[][] = [];
  for (let i = 0; i < readable.length; i += PARSE_GROUP) groups.push(readable.slice(i, i + PARSE_GROUP));
  const results = await Promise.all(
    groups.map((g) =>
      parseIsolatedBatch(
        g.map((m) => ({
          bytes: bytes.get(m.job.version.id)!,
          format: m.job.version.format as Exclude<DocFormat, "pdf">,
          chunking: { chunkSize: m.job.kb.chunkSize, chunkOverlap: m.job.kb.chunkOverlap },
          contentType: m.job.version.contentType,
        })),
        { limits },
      ).catch((err: unknown) => {
        throw new BatchRetryError(err);
      }),
    ),
  );
  const parseMs = Math.round(performance.now() - parseStarted);
  const parsed: (ParsedMember & { keyId: string | null })[] = [];
  const flat = results.flat();
  for (const [i, m] of readable.entries()) {
    const r = flat[i]!;
    if (!r.ok) {
      if (r.code) await fail(m, new ParseError(r.code as ParseError["code"], r.message));
      else out.set(m.job.version.id, { ok: false, error: new BatchRetryError(new Error(r.message)) });
      continue;
    }
    if (r.chunks.length === 0) {
      await fail(
        m,
        new ParseError(
          "empty",
          "The document contains no text to index. Upload a document that has text in it.",
        ),
      );
      continue;
    }
    parsed.push({
      job: m.job,
      keyId: m.keyId,
      title: r.title?.trim() || m.job.document.title,
      text: r.text,
      pages: r.pages,
      chunks: r.chunks,
      timings: { parse_ms: parseMs, batch: readable.length },
    });
  }
  try {
    await storeParsed(deps, parsed);
  } catch (err) {
    throw new BatchRetryError(err);
  }

  let indexed: IndexedMember[];
  try {
    const done = await embedAndUpsert(deps, parsed, signal);
    indexed = done.indexed;
    for (const f of done.failed) await fail(f.member, f.error);
  } catch (err) {
    throw new BatchRetryError(err);
  }
  const total = Math.round(performance.now() - started);
  for (const m of indexed) m.timings.total_ms = total;
  let activated: Awaited<ReturnType<typeof activateBatch>>;
  try {
    activated = await activateBatch(deps, indexed);
  } catch (err) {
    throw new BatchRetryError(err);
  }
  const gone = new Set(activated.gone.map((j) => j.version.id));
  for (const job of activated.gone) {
    // Deleted or failed while we worked: whatever we upserted must not outlive it.
    await deleteVersionPoints(deps, job.version.tenantId, job.version.id, job.kb);
  }
  for (const m of indexed)
    out.set(m.job.version.id, { ok: true, outcome: gone.has(m.job.version.id) ? "skipped" : "ready" });
  for (const r of activated.retired) await retireVersion(deps, r.tenantId, r.versionId);
  return out;
}

/**
 * One embedding call for every chunk of the batch that the deployment's embedder embeds, and one per
 * knowledge base embedded by a plugin (issue 19); one upsert per tenant and index. A plugin that
 * fails (or answers bad vectors) fails only its knowledge base's documents, returned in `failed`.
 */
async function embedAndUpsert(
  deps: PipelineDeps,
  parsed: (ParsedMember & { keyId: string | null })[],
  signal: AbortSignal,
): Promise<{ indexed: IndexedMember[]; failed: { member: BatchMember; error: unknown }[] }> {
  const indexed: IndexedMember[] = [];
  const failed: { member: BatchMember; error: unknown }[] = [];
  const groups = new Map<string, (ParsedMember & { keyId: string | null })[]>();
  for (const m of parsed) {
    // The deployment's embedder takes every knowledge base at once; a plugin's is per knowledge base,
    // since each records its own dimension.
    const key = embedderPluginId(m.job.kb.embedder) === null ? "" : m.job.kb.id;
    groups.set(key, [...(groups.get(key) ?? []), m]);
  }
  for (const [key, group] of groups) {
    try {
      indexed.push(...(await embedGroup(deps, group, signal)));
    } catch (error) {
      if (key === "" || !isPermanentFailure(error)) throw error;
      for (const member of group) failed.push({ member, error });
    }
  }
  return { indexed, failed };
}

/** Members of one knowledge-base embedder: one embedding call, one upsert per tenant. */
async function embedGroup(
  deps: PipelineDeps,
  parsed: (ParsedMember & { keyId: string | null })[],
  signal: AbortSignal,
): Promise<IndexedMember[]> {
  if (parsed.length === 0) return [];
  signal.throwIfAborted();
  let started = performance.now();
  const texts = parsed.flatMap((m) => m.chunks.map((c) => chunkIndexText(m.title, c.text)));
  const { embedded, vectors } = await embedForKb(deps, parsed[0]!.job.kb, texts, signal);
  const embedMs = Math.round(performance.now() - started);
  started = performance.now();
  const byTenant = new Map<string, ChunkPoint[]>();
  let at = 0;
  for (const m of parsed) {
    const { version, document } = m.job;
    const points = byTenant.get(version.tenantId) ?? [];
    byTenant.set(version.tenantId, points);
    for (const c of m.chunks) {
      points.push({
        dense: embedded.dense[at]!,
        sparse: embedded.sparse[at]!,
        payload: {
          kb_id: document.kbId,
          doc_id: document.id,
          doc_version: version.id,
          chunk: c.ordinal,
          page_start: c.pageStart,
          page_end: c.pageEnd,
          heading_path: c.headingPath,
          text: c.text,
          char_start: c.charStart,
          char_end: c.charEnd,
          title: m.title,
          meta: document.metadata,
        },
      });
      at++;
    }
  }
  for (const [tenantId, points] of byTenant) await vectors.upsert(tenantId, points);
  const indexMs = Math.round(performance.now() - started);
  // The provider bills the call; each version's share follows its chunks' token counts, so the
  // versions' tokens and ledger rows add up to exactly what the call cost.
  const weights = parsed.map((m) => m.chunks.reduce((n, c) => n + c.tokens, 0));
  const tokens = apportion(embedded.tokens, weights);
  const costs = apportion(embedded.costMicros, weights);
  return parsed.map((m, i) => ({
    job: m.job,
    keyId: m.keyId,
    chunks: m.chunks.length,
    tokens: tokens[i]!,
    costMicros: costs[i]!,
    timings: { ...m.timings, embed_ms: embedMs, index_ms: indexMs },
  }));
}

async function mapLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
