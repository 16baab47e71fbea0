import type { ServiceCtx } from "../../context.js";
import { knowledgeBases } from "../../db/schema.js";
import { newId } from "../../ids.js";
import { recordAudit } from "../audit/record.js";
import { enforceQuota } from "../billing/quota.js";
import { ForbiddenError, ValidationError } from "../errors.js";
import { checkEmbedderChoice } from "../plugins/embedders.js";
import { KB_LIMITS, type KbLanguage, overlapProblem, type PromptTemplateName } from "./settings.js";

export interface CreateKbInput {
  name: string;
  description?: string;
  language?: KbLanguage;
  chunkSize?: number;
  chunkOverlap?: number;
  promptTemplate?: PromptTemplateName;
  /** "default" (the deployment's embedder) or "plugin:<id>", an embedder plugin the organization enabled. */
  embedder?: string;
}

export async function createKnowledgeBase({ ctx, input }: { ctx: ServiceCtx; input: CreateKbInput }) {
  const chunkSize = input.chunkSize ?? KB_LIMITS.chunkSize.default;
  const chunkOverlap =
    input.chunkOverlap ?? Math.min(KB_LIMITS.chunkOverlap.default, Math.floor(chunkSize / 4));
  const problem = overlapProblem(chunkSize, chunkOverlap);
  if (problem) {
    throw new ValidationError(problem, [{ field: "chunk_overlap", message: problem }]);
  }
  if (ctx.auth.kbIds) {
    throw new ForbiddenError("A key restricted to some knowledge bases cannot create new ones.");
  }
  await enforceQuota(ctx, "knowledge_bases");
  const embedder = input.embedder === undefined ? null : await checkEmbedderChoice(ctx, input.embedder);
  const id = newId("kb");
  const { db } = ctx.deps.database;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(knowledgeBases)
      .values({
        id,
        tenantId: ctx.auth.tenantId,
        name: input.name,
        description: input.description ?? "",
        language: input.language ?? "auto",
        chunkSize,
        chunkOverlap,
        promptTemplate: input.promptTemplate ?? "qa",
        embedder,
      })
      .returning();
    await recordAudit(tx, {
      tenantId: ctx.auth.tenantId,
      actorKeyId: ctx.auth.keyId,
      action: "knowledge_base.create",
      resourceType: "knowledge_base",
      resourceId: id,
      kbIds: [id],
      detail: { name: input.name, ...(embedder ? { embedder } : {}) },
      requestId: ctx.requestId,
    });
    return row!;
  });
}
