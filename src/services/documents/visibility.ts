import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { documentVersions, knowledgeBases } from "../../db/schema.js";

/**
 * Every version in these knowledge bases whose points may exist but must not be searched: versions
 * still indexing, failed ones, and replaced ones whose clean-up has not finished. Searches pass this
 * as Scope.excludeDocVersions, so a document is only ever seen through its one active version.
 *
 * A version is `ready` exactly when it is its document's active version (activateVersion sets both in
 * one transaction and marks the replaced one `superseded`), so "not ready" is the hidden set. 'ready'
 * is spelled out so that the partial index versions_unready_idx (and the generic plan of the search's
 * named statement) matches it, keeping it to the few unready rows.
 */
export async function hiddenVersionIds(db: Db, tenantId: string, kbIds: string[]): Promise<string[]> {
  if (kbIds.length === 0) return [];
  // The search path reads this set with its knowledge bases (unreadyVersionsOfKb, below); this form,
  // for callers without them, asks the same subquery so the rule is written once.
  const rows = await db
    .select({ hidden: unreadyVersionsOfKb })
    .from(knowledgeBases)
    .where(and(eq(knowledgeBases.tenantId, tenantId), inArray(knowledgeBases.id, kbIds)));
  return rows.flatMap((r) => r.hidden);
}

const v = sql.identifier("v");
const col = (c: { name: string }) => sql.identifier(c.name);

/**
 * The same set for the knowledge base of the enclosing query (`knowledge_bases`), as a text[] column:
 * a search reads it with the knowledge bases themselves (search/visible-kbs.ts). Every name is
 * qualified by hand: in a select list drizzle prints columns without their table, which inside this
 * subquery would name document_versions' own columns.
 */
export const unreadyVersionsOfKb = sql<
  string[]
>`coalesce((select array_agg(${v}.${col(documentVersions.id)}) from ${documentVersions} ${v} where ${v}.${col(documentVersions.tenantId)} = ${knowledgeBases}.${col(knowledgeBases.tenantId)} and ${v}.${col(documentVersions.kbId)} = ${knowledgeBases}.${col(knowledgeBases.id)} and ${v}.${col(documentVersions.status)} <> 'ready'), '{}')`;
