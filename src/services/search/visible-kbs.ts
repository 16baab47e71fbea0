import { canSeeKb } from "../../auth/middleware.js";
import type { ServiceCtx } from "../../context.js";
import type { Db } from "../../db/client.js";
import { preparedPerDb } from "../../db/prepared.js";
import { knowledgeBases } from "../../db/schema.js";
import { unreadyVersionsOfKb } from "../documents/visibility.js";
import { NotFoundError } from "../errors.js";
import { kbsById, kbsOfTenantWhere } from "../knowledge-bases/get.js";
import { searchKbCache } from "../knowledge-bases/kb-cache.js";

export type KbRow = typeof knowledgeBases.$inferSelect;

// A search needs each knowledge base's hidden versions too: one round trip instead of two per ask.
const kbsWithHidden = preparedPerDb((db: Db) =>
  db
    .select({ kb: knowledgeBases, hidden: unreadyVersionsOfKb })
    .from(knowledgeBases)
    .where(kbsOfTenantWhere())
    .prepare("kbs_by_id_with_hidden"),
);

/** Checks what the key may read before asking the database; the ids without duplicates, in order. */
function visibleIds(ctx: ServiceCtx, ids: string[]): string[] {
  const unique = [...new Set(ids)];
  for (const id of unique) if (!canSeeKb(ctx.auth, id)) throw new NotFoundError("Knowledge base", id);
  return unique;
}

function inRequestOrder<R>(unique: string[], rows: R[], idOf: (r: R) => string): R[] {
  const byId = new Map(rows.map((r) => [idOf(r), r]));
  return unique.map((id) => {
    const row = byId.get(id);
    if (!row) throw new NotFoundError("Knowledge base", id);
    return row;
  });
}

/**
 * Loads every requested knowledge base in one query, in request order. Any id the key may not read,
 * or that belongs to another tenant, is a 404: a search never silently narrows to what is visible.
 */
export async function loadVisibleKbs(ctx: ServiceCtx, ids: string[]): Promise<KbRow[]> {
  const unique = visibleIds(ctx, ids);
  const rows = await kbsById(ctx.deps.database.db).execute({ tenantId: ctx.auth.tenantId, ids: unique });
  return inRequestOrder(unique, rows, (r) => r.id);
}

/**
 * loadVisibleKbs for a search: also the versions in them that must not be searched (see
 * hiddenVersionIds), read in the same statement.
 */
export async function loadVisibleKbsForSearch(
  ctx: ServiceCtx,
  ids: string[],
): Promise<{ kbs: KbRow[]; hiddenVersionIds: string[] }> {
  const unique = visibleIds(ctx, ids);
  const rows = await searchKbCache.read(
    ctx.deps,
    `${ctx.auth.tenantId}\u0000${unique.join(",")}`,
    () => kbsWithHidden(ctx.deps.database.db).execute({ tenantId: ctx.auth.tenantId, ids: unique }),
    // Kept only while nothing in them is indexing or being replaced: a version's move to ready or
    // superseded is then never a cached state away (see kb-cache.ts).
    (r) => r.every((x) => x.hidden.length === 0),
  );
  const ordered = inRequestOrder(unique, rows, (r) => r.kb.id);
  return { kbs: ordered.map((r) => r.kb), hiddenVersionIds: ordered.flatMap((r) => r.hidden) };
}
