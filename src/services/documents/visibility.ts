import { and, eq, inArray, ne } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { documentVersions } from "../../db/schema.js";

/**
 * Every version in these knowledge bases whose points may exist but must not be searched: versions
 * still indexing, failed ones, and replaced ones whose clean-up has not finished. Searches pass this
 * as Scope.excludeDocVersions, so a document is only ever seen through its one active version.
 *
 * A version is `ready` exactly when it is its document's active version (activateVersion sets both in
 * one transaction and marks the replaced one `superseded`), so "not ready" is the hidden set. It runs
 * on every search: the partial index versions_unready_idx keeps it to the few unready rows.
 */
export async function hiddenVersionIds(db: Db, tenantId: string, kbIds: string[]): Promise<string[]> {
  if (kbIds.length === 0) return [];
  const rows = await db
    .select({ id: documentVersions.id })
    .from(documentVersions)
    .where(
      and(
        eq(documentVersions.tenantId, tenantId),
        inArray(documentVersions.kbId, kbIds),
        ne(documentVersions.status, "ready"),
      ),
    );
  return rows.map((r) => r.id);
}
