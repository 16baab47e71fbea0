import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../../db/client.js";
import { preparedPerDb } from "../../db/prepared.js";
import { documentVersions, knowledgeBases } from "../../db/schema.js";

// One statement text for any number of knowledge bases (`= any($2)`), and 'ready' spelled out so that
// PostgreSQL's generic plan of the named statement still matches the partial index's predicate.
const unreadyVersions = preparedPerDb((db: Db) =>
  db
    .select({ id: documentVersions.id })
    .from(documentVersions)
    .where(
      and(
        eq(documentVersions.tenantId, sql.placeholder("tenantId")),
        sql`${documentVersions.kbId} = any(${sql.placeholder("kbIds")})`,
        sql`${documentVersions.status} <> 'ready'`,
      ),
    )
    .prepare("versions_unready"),
);

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
  const rows = await unreadyVersions(db).execute({ tenantId, kbIds });
  return rows.map((r) => r.id);
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
