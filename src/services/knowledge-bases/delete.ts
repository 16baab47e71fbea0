import { eq } from "drizzle-orm";
import type { ServiceCtx } from "../../context.js";
import { knowledgeBases } from "../../db/schema.js";
import { deleteWithAudit } from "../audit/delete.js";
import { deleteKnowledgeBaseDocuments } from "../documents/delete.js";
import { loadVisibleKb } from "./get.js";
import { kbsChanged } from "./kb-cache.js";
import { kbVectors } from "./vectors.js";

/**
 * Removes the knowledge base with its vectors first (so a crash in between never leaves searchable
 * points for rows that are gone), then its documents' files, then the rows (documents, versions,
 * chunks cascade).
 */
export async function deleteKnowledgeBase({ ctx, input }: { ctx: ServiceCtx; input: { id: string } }) {
  const { db } = ctx.deps.database;
  const kb = await loadVisibleKb(db, ctx, input.id);
  const vectors = await kbVectors(ctx.deps, kb);
  const points = vectors ? await vectors.delete(ctx.auth.tenantId, { kbId: kb.id }) : 0;
  // Called directly, not through an optional dependency: deps built without it skipped blob cleanup.
  const removed = await deleteKnowledgeBaseDocuments(ctx, kb.id);
  await deleteWithAudit(ctx, knowledgeBases, eq(knowledgeBases.id, kb.id), {
    action: "knowledge_base.delete",
    resourceType: "knowledge_base",
    resourceId: kb.id,
    kbIds: [kb.id],
    detail: { name: kb.name, points, ...removed },
  });
  kbsChanged(ctx.deps);
  return { id: kb.id, deleted: true as const, points, ...removed };
}
