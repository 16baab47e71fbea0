import { and, eq } from "drizzle-orm";
import type { ServiceCtx } from "../../context.js";
import { keysetPage, type PageInput } from "../../db/paging.js";
import { embeds } from "../../db/schema.js";
import { deleteWithAudit } from "../audit/delete.js";
import { recordAudit } from "../audit/record.js";
import { NotFoundError } from "../errors.js";
import { type EmbedRow, type EmbedSettings, validateEmbedSettings } from "./create.js";
import { normalizeOrigin } from "./origins.js";

export async function getEmbed({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { id: string };
}): Promise<EmbedRow> {
  const [row] = await ctx.deps.database.db
    .select()
    .from(embeds)
    .where(and(eq(embeds.id, input.id), eq(embeds.tenantId, ctx.auth.tenantId)))
    .limit(1);
  if (!row) throw new NotFoundError("Embed", input.id);
  return row;
}

export async function listEmbeds({ ctx, input }: { ctx: ServiceCtx; input: PageInput }) {
  return keysetPage(ctx.deps.database.db.select().from(embeds).$dynamic(), input, {
    by: embeds.id,
    where: [eq(embeds.tenantId, ctx.auth.tenantId)],
  });
}

export async function updateEmbed({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { id: string; patch: Partial<EmbedSettings> };
}): Promise<EmbedRow> {
  await getEmbed({ ctx, input });
  const patch = Object.fromEntries(
    Object.entries(input.patch).filter(([, v]) => v !== undefined),
  ) as Partial<EmbedSettings>;
  if (patch.allowedOrigins) patch.allowedOrigins = patch.allowedOrigins.map(normalizeOrigin);
  if (patch.kbIds) patch.kbIds = [...new Set(patch.kbIds)];
  await validateEmbedSettings(ctx, patch);
  return ctx.deps.database.db.transaction(async (tx) => {
    const [row] = await tx
      .update(embeds)
      .set({ ...patch, updatedAt: new Date() })
      .where(and(eq(embeds.id, input.id), eq(embeds.tenantId, ctx.auth.tenantId)))
      .returning();
    await recordAudit(tx, {
      tenantId: ctx.auth.tenantId,
      actorKeyId: ctx.auth.keyId,
      action: "embed.update",
      resourceType: "embed",
      resourceId: input.id,
      detail: { changed: Object.keys(patch) },
      requestId: ctx.requestId,
    });
    return row!;
  });
}

/** Deleting an embed deletes its conversations and transcripts with it (cascade). */
export async function deleteEmbed({ ctx, input }: { ctx: ServiceCtx; input: { id: string } }) {
  await getEmbed({ ctx, input });
  await deleteWithAudit(ctx, embeds, and(eq(embeds.id, input.id), eq(embeds.tenantId, ctx.auth.tenantId)), {
    action: "embed.delete",
    resourceType: "embed",
    resourceId: input.id,
  });
}
