import { and, eq, inArray } from "drizzle-orm";
import { documents, documentVersions, knowledgeBases } from "../../src/db/schema.js";
import type { PipelineDeps } from "./deps.js";

export type LoadedJob = NonNullable<Awaited<ReturnType<typeof loadJob>>>;

/** The version with its document and knowledge base, or null when any of them was deleted meanwhile. */
export async function loadJob(deps: PipelineDeps, tenantId: string, versionId: string) {
  const [row] = await deps.database.db
    .select({ version: documentVersions, document: documents, kb: knowledgeBases })
    .from(documentVersions)
    .innerJoin(documents, eq(documents.id, documentVersions.documentId))
    .innerJoin(knowledgeBases, eq(knowledgeBases.id, documents.kbId))
    .where(and(eq(documentVersions.id, versionId), eq(documentVersions.tenantId, tenantId)))
    .limit(1);
  return row ?? null;
}

/** loadJob for many versions in one query (the batch pipeline); versions deleted meanwhile are absent. */
export async function loadJobs(deps: PipelineDeps, versionIds: string[]): Promise<Map<string, LoadedJob>> {
  if (versionIds.length === 0) return new Map();
  const rows = await deps.database.db
    .select({ version: documentVersions, document: documents, kb: knowledgeBases })
    .from(documentVersions)
    .innerJoin(documents, eq(documents.id, documentVersions.documentId))
    .innerJoin(knowledgeBases, eq(knowledgeBases.id, documents.kbId))
    .where(inArray(documentVersions.id, versionIds));
  return new Map(rows.map((r) => [r.version.id, r]));
}
