import type { ServiceCtx } from "../../context.js";
import { conversations } from "../../db/schema.js";
import { newId } from "../../ids.js";
import { ValidationError } from "../errors.js";
import { modelsForOrg } from "../plugins/chat-models.js";
import { loadVisibleKbs } from "../search/visible-kbs.js";

export type ConversationRow = typeof conversations.$inferSelect;

export interface CreateConversationInput {
  kbIds: string[];
  models?: string[];
  template?: string;
  /** Set when a widget visitor starts it through an embed. */
  embed?: { id: string; visitorId: string; accessHash: string };
}

/** Starts a conversation over knowledge bases the caller may read; models are checked now, not mid-chat. */
export async function createConversation({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: CreateConversationInput;
}): Promise<ConversationRow> {
  await loadVisibleKbs(ctx, input.kbIds);
  // The organization's chat-provider plugins are its models too (issue 19).
  const registry = await modelsForOrg(ctx);
  (input.models ?? []).forEach((id, i) => {
    if (!registry.get(id)) {
      throw new ValidationError(`Unknown model "${id}" (GET /v1/models lists them).`, [
        { field: `models.${i}`, message: `unknown model "${id}"` },
      ]);
    }
  });
  const [row] = await ctx.deps.database.db
    .insert(conversations)
    .values({
      id: newId("cnv"),
      tenantId: ctx.auth.tenantId,
      keyId: input.embed ? null : ctx.auth.keyId,
      embedId: input.embed?.id ?? null,
      visitorId: input.embed?.visitorId ?? null,
      accessHash: input.embed?.accessHash ?? null,
      kbIds: [...new Set(input.kbIds)],
      models: input.models ?? [],
      promptTemplate: input.template ?? null,
    })
    .returning();
  return row!;
}
