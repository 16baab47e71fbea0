import { eq } from "drizzle-orm";
import type { ServiceCtx } from "../../context.js";
import { knowledgeBases } from "../../db/schema.js";
import { recordAudit, snakeCase } from "../audit/record.js";
import { ValidationError } from "../errors.js";
import type { CreateKbInput } from "./create.js";
import { loadVisibleKb } from "./get.js";
import { overlapProblem } from "./settings.js";

/** Chunking changes apply to documents ingested afterwards; existing chunks are kept as they are. */
export async function updateKnowledgeBase({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { id: string; patch: Partial<CreateKbInput> };
}) {
  const { db } = ctx.deps.database;
  return db.transaction(async (tx) => {
    const current = await loadVisibleKb(tx, ctx, input.id);
    const next = { ...current, ...stripUndefined(input.patch) };
    const problem = overlapProblem(next.chunkSize, next.chunkOverlap);
    if (problem) {
      throw new ValidationError(problem, [{ field: "chunk_overlap", message: problem }]);
    }
    const [row] = await tx
      .update(knowledgeBases)
      .set({ ...stripUndefined(input.patch), updatedAt: new Date() })
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
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
