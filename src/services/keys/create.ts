import { and, eq, inArray } from "drizzle-orm";
import { generateKey } from "../../auth/keys.js";
import { rightsExcess } from "../../auth/rights.js";
import { actionsOf, actionsOfScopes } from "../../auth/roles.js";
import type { ApiScope, ServiceCtx } from "../../context.js";
import { apiKeys, keyCreators, knowledgeBases } from "../../db/schema.js";
import { newId } from "../../ids.js";
import { recordAudit } from "../audit/record.js";
import { ForbiddenError, ServiceError, ValidationError } from "../errors.js";

export interface CreateKeyInput {
  name: string;
  scopes: ApiScope[];
  knowledgeBaseIds?: string[] | null;
  expiresAt?: Date | null;
  monthlyBudgetMicros?: number | null;
  rateLimitPerMinute?: number | null;
}

export async function createKey({ ctx, input }: { ctx: ServiceCtx; input: CreateKeyInput }) {
  const { db } = ctx.deps.database;
  const tenantId = ctx.auth.tenantId;
  if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
    throw new ValidationError("expires_at must be in the future.", [
      { field: "expires_at", message: "must be in the future" },
    ]);
  }
  // A key never has more rights than whoever creates it (for people: their role, src/auth/roles.ts).
  const held = actionsOf(ctx.auth);
  const beyond = input.scopes.filter((s) => [...actionsOfScopes([s])].some((a) => !held.has(a)));
  if (beyond.length) {
    throw new ForbiddenError(
      `A key cannot have more rights than its creator: you cannot grant ${beyond.join(", ")}.`,
      { fields: [{ field: "scopes", message: `beyond the creator's rights: ${beyond.join(", ")}` }] },
    );
  }
  const kbIds = input.knowledgeBaseIds ? [...new Set(input.knowledgeBaseIds)] : null;
  // Least privilege: a key can only hand out rights it holds itself.
  const excess = rightsExcess({ scopes: input.scopes, kbIds, expiresAt: input.expiresAt ?? null }, ctx.auth);
  if (excess) {
    throw new ForbiddenError(
      `A key can only create keys within its own rights; this one would get ${excess}. Narrow scopes, knowledge_base_ids or expires_at.`,
    );
  }
  if (kbIds?.length) {
    const found = await db
      .select({ id: knowledgeBases.id })
      .from(knowledgeBases)
      .where(and(eq(knowledgeBases.tenantId, tenantId), inArray(knowledgeBases.id, kbIds)));
    const missing = kbIds.filter((id) => !found.some((f) => f.id === id));
    if (missing.length) {
      throw new ServiceError("not_found", `Knowledge base(s) not found: ${missing.join(", ")}.`);
    }
  }
  const { key, prefix, hash } = generateKey();
  const id = newId("key");
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiKeys)
      .values({
        id,
        tenantId,
        name: input.name,
        prefix,
        hash,
        scopes: [...new Set(input.scopes)],
        kbIds,
        expiresAt: input.expiresAt ?? null,
        monthlyBudgetMicros: input.monthlyBudgetMicros ?? null,
        rateLimitPerMinute: input.rateLimitPerMinute ?? null,
      })
      .returning();
    if (ctx.auth.userId)
      await tx.insert(keyCreators).values({ keyId: id, tenantId, userId: ctx.auth.userId });
    await recordAudit(tx, {
      tenantId,
      actorKeyId: ctx.auth.keyId,
      actorUserId: ctx.auth.userId ?? null,
      action: "key.create",
      resourceType: "key",
      resourceId: id,
      kbIds: kbIds ?? [],
      detail: { name: input.name, scopes: input.scopes, knowledge_base_ids: kbIds },
      requestId: ctx.requestId,
    });
    return { ...row!, plaintext: key };
  });
}
