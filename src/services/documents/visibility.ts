import { and, eq, inArray, isNull, ne, or } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { documents, documentVersions } from "../../db/schema.js";

/**
 * Every version in these knowledge bases whose points may exist but must not be searched: versions
 * still indexing, failed ones, and replaced ones whose clean-up has not finished. Searches pass this
 * as Scope.excludeDocVersions, so a document is only ever seen through its one active version.
 */
export async function hiddenVersionIds(db: Db, tenantId: string, kbIds: string[]): Promise<string[]> {
  if (kbIds.length === 0) return [];
  const rows = await db
    .select({ id: documentVersions.id })
    .from(documentVersions)
    .innerJoin(documents, eq(documents.id, documentVersions.documentId))
    .where(
      and(
        eq(documentVersions.tenantId, tenantId),
        inArray(documentVersions.kbId, kbIds),
        or(isNull(documents.activeVersionId), ne(documents.activeVersionId, documentVersions.id)),
      ),
    );
  return rows.map((r) => r.id);
}
