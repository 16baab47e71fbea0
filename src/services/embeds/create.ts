import type { ServiceCtx } from "../../context.js";
import { embeds } from "../../db/schema.js";
import { newId, randomToken } from "../../ids.js";
import { recordAudit } from "../audit/record.js";
import { enforceQuota } from "../billing/quota.js";
import { ValidationError } from "../errors.js";
import { modelsForOrg } from "../plugins/chat-models.js";
import { loadVisibleKbs } from "../search/visible-kbs.js";
import { normalizeOrigin, originEntryProblem } from "./origins.js";

export type EmbedRow = typeof embeds.$inferSelect;

export interface EmbedSettings {
  name: string;
  kbIds: string[];
  models: string[];
  promptTemplate: string;
  allowedOrigins: string[];
  greeting: string;
  starterQuestions: string[];
  theme: Record<string, string>;
  defaultLanguage: string | null;
  maxMessagesPerConversation: number | null;
  maxConversationsPerVisitorPerDay: number | null;
  maxMessagesPerDay: number | null;
  monthlyBudgetMicros: number | null;
  signedVisitorsOnly: boolean;
}

/** Checks what the request cannot check alone: knowledge bases visible to the caller, known models. */
export async function validateEmbedSettings(ctx: ServiceCtx, s: Partial<EmbedSettings>) {
  if (s.kbIds) await loadVisibleKbs(ctx, s.kbIds);
  // The organization's chat-provider plugins are its models too (issue 19).
  const registry = await modelsForOrg(ctx);
  s.models?.forEach((id, i) => {
    if (!registry.get(id)) {
      throw new ValidationError(`Unknown model "${id}" (GET /v1/models lists them).`, [
        { field: `models.${i}`, message: `unknown model "${id}"` },
      ]);
    }
  });
  s.allowedOrigins?.forEach((o, i) => {
    const problem = originEntryProblem(o);
    if (problem) {
      throw new ValidationError(problem, [{ field: `allowed_origins.${i}`, message: problem }]);
    }
  });
}

export async function createEmbed({ ctx, input }: { ctx: ServiceCtx; input: EmbedSettings }) {
  const settings = { ...input, allowedOrigins: input.allowedOrigins.map(normalizeOrigin) };
  await validateEmbedSettings(ctx, settings);
  await enforceQuota(ctx, "embeds");
  const secret = `embsec_${randomToken(40)}`;
  return ctx.deps.database.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(embeds)
      .values({
        id: newId("emb"),
        tenantId: ctx.auth.tenantId,
        ...settings,
        kbIds: [...new Set(settings.kbIds)],
        signingSecret: secret,
      })
      .returning();
    await recordAudit(tx, {
      tenantId: ctx.auth.tenantId,
      actorKeyId: ctx.auth.keyId,
      action: "embed.create",
      resourceType: "embed",
      resourceId: row!.id,
      detail: { name: row!.name, allowed_origins: row!.allowedOrigins },
      requestId: ctx.requestId,
    });
    return row!;
  });
}
