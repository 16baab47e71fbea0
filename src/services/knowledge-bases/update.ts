import { eq } from "drizzle-orm";
import type { ServiceCtx } from "../../context.js";
import { documents, knowledgeBases } from "../../db/schema.js";
import { recordAudit, snakeCase } from "../audit/record.js";
import { ServiceError, ValidationError } from "../errors.js";
import { checkEmbedderChoice, DEFAULT_EMBEDDER } from "../plugins/embedders.js";
import type { CreateKbInput } from "./create.js";
import { loadVisibleKb } from "./get.js";
import { kbsChanged } from "./kb-cache.js";
import { overlapProblem } from "./settings.js";

/**
 * Chunking changes apply to documents ingested afterwards; existing chunks are kept as they are. The
 * embedder is different: vectors of two embedders cannot be searched together, so it changes only
 * while the knowledge base has no documents (kb_not_empty otherwise; delete them, or make a new one).
 */
export async function updateKnowledgeBase({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { id: string; patch: Partial<CreateKbInput> };
}) {
  const { db } = ctx.deps.database;
  const { embedder: requested, ...rest } = input.patch;
  // Checked only when it changes: a form that sends every field back must still save a knowledge base
  // whose plugin was disabled since. (Checked before the transaction: PGlite has one connection.)
  const before = requested === undefined ? null : await loadVisibleKb(db, ctx, input.id);
  const embedder =
    requested === undefined || requested === (before?.embedder ?? DEFAULT_EMBEDDER)
      ? undefined
      : await checkEmbedderChoice(ctx, requested);
  const updated = await db.transaction(async (tx) => {
    const current = await loadVisibleKb(tx, ctx, input.id);
    const patch = {
      ...stripUndefined(rest),
      // A new embedder starts without a learned dimension (its collection is chosen by its first vectors).
      ...(embedder !== undefined && embedder !== current.embedder
        ? { embedder, embedderDimension: null }
        : {}),
    };
    if ("embedder" in patch) {
      const [doc] = await tx
        .select({ id: documents.id })
        .from(documents)
        .where(eq(documents.kbId, input.id))
        .limit(1);
      if (doc) {
        throw new ServiceError(
          "kb_not_empty",
          `Knowledge base ${input.id} has documents embedded by ${current.embedder ?? "the deployment's embedder"}; its embedder can change only while it is empty. Delete its documents first, or create a knowledge base with the other embedder and upload them there.`,
          { fields: [{ field: "embedder", message: "the knowledge base has documents" }] },
        );
      }
    }
    const next = { ...current, ...patch };
    const problem = overlapProblem(next.chunkSize, next.chunkOverlap);
    if (problem) {
      throw new ValidationError(problem, [{ field: "chunk_overlap", message: problem }]);
    }
    const [row] = await tx
      .update(knowledgeBases)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(knowledgeBases.id, input.id))
      .returning();
    await recordAudit(tx, {
      tenantId: ctx.auth.tenantId,
      actorKeyId: ctx.auth.keyId,
      action: "knowledge_base.update",
      resourceType: "knowledge_base",
      resourceId: input.id,
      kbIds: [input.id],
      detail: { changed: Object.keys(stripUndefined(input.patch)).map(snakeCase) },
      requestId: ctx.requestId,
    });
    return row!;
  });
  kbsChanged(ctx.deps);
  return updated;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
