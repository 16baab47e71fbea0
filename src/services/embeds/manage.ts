import { and, asc, eq, gt } from "drizzle-orm";
import type { ServiceCtx } from "../../context.js";
import { embeds } from "../../db/schema.js";
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

export async function listEmbeds({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { limit: number; cursor?: string };
}) {
  const conds = [eq(embeds.tenantId, ctx.auth.tenantId)];
  if (input.cursor) conds.push(gt(embeds.id, input.cursor));
  const rows = await ctx.deps.database.db
    .select()
    .from(embeds)
    .where(and(...conds))
    .orderBy(asc(embeds.id))
    .limit(input.limit + 1);
  const page = rows.slice(0, input.limit);
  return { items: page, nextCursor: rows.length > input.limit ? page[page.length - 1]!.id : null };
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
  await ctx.deps.database.db.transaction(async (tx) => {
    await tx.delete(embeds).where(and(eq(embeds.id, input.id), eq(embeds.tenantId, ctx.auth.tenantId)));
    await recordAudit(tx, {
      tenantId: ctx.auth.tenantId,
      actorKeyId: ctx.auth.keyId,
      action: "embed.delete",
      resourceType: "embed",
      resourceId: input.id,
      requestId: ctx.requestId,
    });
  });
}
