import { and, inArray, ne, sql } from "drizzle-orm";
import { caseOf } from "../../src/db/case-of.js";
import { chunks, documents, documentTexts, documentVersions } from "../../src/db/schema.js";
import type { Chunk, ParsedDocument } from "../types.js";
import { CHUNK_INSERT_BATCH, type EmbeddingUsage, type PipelineDeps } from "./deps.js";
import type { LoadedJob } from "./load.js";

/**
 * The batch pipeline's database writes: each is one statement (or one transaction of a few) for the
 * whole batch where the single path spends one or more per document. The per-document values travel
 * as CASE expressions keyed by id, which both PGlite and PostgreSQL plan as one UPDATE.
 */

export interface ParsedMember {
  job: LoadedJob;
  title: string;
  text: string;
  pages: ParsedDocument["pages"];
  chunks: Chunk[];
  timings: Record<string, number>;
}

/**
 * Chunk rows, texts and chunk counts of every parsed version in one transaction (as extractChunks
 * does per version: a chunk count means the rows are complete, so a retry on the single path
 * resumes from them), and the titles the documents' newest versions found.
 */
export async function storeParsed(deps: PipelineDeps, members: ParsedMember[]): Promise<void> {
  if (members.length === 0) return;
  const rows = members.flatMap((m) =>
    m.chunks.map((c) => ({
      versionId: m.job.version.id,
      tenantId: m.job.version.tenantId,
      ordinal: c.ordinal,
      text: c.text,
      charStart: c.charStart,
      charEnd: c.charEnd,
      pageStart: c.pageStart,
      pageEnd: c.pageEnd,
      headingPath: c.headingPath,
      tokens: c.tokens,
    })),
  );
  const ids = members.map((m) => m.job.version.id);
  const by = <T>(f: (m: ParsedMember) => T) => new Map(members.map((m) => [m.job.version.id, f(m)]));
  const retitled = members.filter(
    (m) => m.job.document.latestVersionId === m.job.version.id && m.title !== m.job.document.title,
  );
  await deps.database.db.transaction(async (t) => {
    for (let i = 0; i < rows.length; i += CHUNK_INSERT_BATCH)
      await t.insert(chunks).values(rows.slice(i, i + CHUNK_INSERT_BATCH));
    await t
      .insert(documentTexts)
      .values(
        members.map((m) => ({
          versionId: m.job.version.id,
          tenantId: m.job.version.tenantId,
          text: m.text,
          pages: m.pages,
        })),
      )
      .onConflictDoUpdate({
        target: documentTexts.versionId,
        set: { text: sql`excluded.text`, pages: sql`excluded.pages` },
      });
    const pages = by((m) => m.pages.length || null);
    await t
      .update(documentVersions)
      .set({
        pages: caseOf(documentVersions.id, pages, "int"),
        pagesParsed: caseOf(
          documentVersions.id,
          by((m) => m.pages.length || 1),
          "int",
        ),
        chunks: caseOf(
          documentVersions.id,
          by((m) => m.chunks.length),
          "int",
        ),
        timings: caseOf(
          documentVersions.id,
          by((m) => JSON.stringify(m.timings)),
          "jsonb",
        ),
        updatedAt: new Date(),
      })
      .where(inArray(documentVersions.id, ids));
    if (retitled.length > 0) {
      await t
        .update(documents)
        .set({
          title: caseOf(documents.id, new Map(retitled.map((m) => [m.job.document.id, m.title])), "text"),
        })
        .where(
          inArray(
            documents.id,
            retitled.map((m) => m.job.document.id),
          ),
        );
    }
  });
}

export interface IndexedMember {
  job: LoadedJob;
  keyId: string | null;
  chunks: number;
  tokens: number;
  costMicros: number;
  timings: Record<string, number>;
}

/**
 * activateVersion for many versions of different documents at once, in one transaction: their
 * indexing progress, tokens and `ready` (or `superseded` when a newer version won meanwhile), the
 * documents' active versions, the versions they replace, and one ledger row per version for its
 * share of the embedding call (progress and billing move together, as on the single path). Returns
 * the versions to retire and the ones that vanished (deleted or failed meanwhile).
 */
export async function activateBatch(
  deps: PipelineDeps,
  members: IndexedMember[],
): Promise<{ retired: { tenantId: string; versionId: string }[]; gone: LoadedJob[] }> {
  const retired: { tenantId: string; versionId: string }[] = [];
  const gone: LoadedJob[] = [];
  if (members.length === 0) return { retired, gone };
  await deps.database.db.transaction(async (t) => {
    const docIds = members.map((m) => m.job.document.id).sort();
    const docs = await t
      .select({ id: documents.id, active: documents.activeVersionId })
      .from(documents)
      .where(inArray(documents.id, docIds))
      .orderBy(documents.id)
      .for("update");
    const activeOf = new Map(docs.map((d) => [d.id, d.active]));
    const status = new Map<string, "ready" | "superseded">();
    const live: IndexedMember[] = [];
    for (const m of members) {
      const active = activeOf.get(m.job.document.id);
      if (active === undefined) {
        gone.push(m.job);
        continue;
      }
      status.set(m.job.version.id, active === null || active < m.job.version.id ? "ready" : "superseded");
      live.push(m);
    }
    if (live.length === 0) return;
    const by = <T>(f: (m: IndexedMember) => T) => new Map(live.map((m) => [m.job.version.id, f(m)]));
    const now = new Date();
    const updated = await t
      .update(documentVersions)
      .set({
        status: caseOf(documentVersions.id, status, "text"),
        finishedAt: now,
        updatedAt: now,
        timings: caseOf(
          documentVersions.id,
          by((m) => JSON.stringify(m.timings)),
          "jsonb",
        ),
        chunksEmbedded: caseOf(
          documentVersions.id,
          by((m) => m.chunks),
          "int",
        ),
        chunksIndexed: caseOf(
          documentVersions.id,
          by((m) => m.chunks),
          "int",
        ),
        embeddingTokens: sql`${documentVersions.embeddingTokens} + ${caseOf(
          documentVersions.id,
          by((m) => m.tokens),
          "int",
        )}`,
      })
      .where(and(inArray(documentVersions.id, [...status.keys()]), ne(documentVersions.status, "failed")))
      .returning({ id: documentVersions.id });
    const done = new Set(updated.map((r) => r.id));
    const kept = live.filter((m) => {
      if (done.has(m.job.version.id)) return true;
      gone.push(m.job);
      return false;
    });
    const winners = kept.filter((m) => status.get(m.job.version.id) === "ready");
    if (winners.length > 0) {
      await t
        .update(documents)
        .set({
          activeVersionId: caseOf(
            documents.id,
            new Map(winners.map((m) => [m.job.document.id, m.job.version.id])),
            "text",
          ),
          updatedAt: now,
        })
        .where(
          inArray(
            documents.id,
            winners.map((m) => m.job.document.id),
          ),
        );
    }
    const replaced = winners.flatMap((m) => {
      const active = activeOf.get(m.job.document.id);
      return active ? [{ tenantId: m.job.version.tenantId, versionId: active }] : [];
    });
    if (replaced.length > 0) {
      await t
        .update(documentVersions)
        .set({ status: "superseded" })
        .where(
          inArray(
            documentVersions.id,
            replaced.map((r) => r.versionId),
          ),
        );
    }
    retired.push(...replaced);
    for (const m of kept)
      if (status.get(m.job.version.id) === "superseded")
        retired.push({ tenantId: m.job.version.tenantId, versionId: m.job.version.id });
    const usages: EmbeddingUsage[] = kept
      .filter((m) => m.tokens > 0 || m.costMicros > 0)
      .map((m) => ({
        tenantId: m.job.version.tenantId,
        keyId: m.keyId,
        kbId: m.job.document.kbId,
        model: deps.embedder.id,
        tokens: m.tokens,
        costMicros: m.costMicros,
      }));
    await deps.usage.recordEmbeddings(t, usages);
  });
  return { retired, gone };
}

/**
 * Splits an integer total over weights so the parts are integers that add up to it exactly
 * (largest remainder): one embedding call's tokens and cost, shared by the documents in it.
 */
export function apportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (total === 0 || weights.length === 0) return weights.map(() => 0);
  const w = sum > 0 ? weights : weights.map(() => 1);
  const wsum = sum > 0 ? sum : weights.length;
  const exact = w.map((x) => (total * x) / wsum);
  const parts = exact.map(Math.floor);
  let rest = total - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  for (const [, i] of order) {
    if (rest <= 0) break;
    parts[i]! += 1;
    rest -= 1;
  }
  return parts;
}
