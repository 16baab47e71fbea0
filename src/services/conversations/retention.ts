import { and, eq, lt } from "drizzle-orm";
import type { ServiceCtx } from "../../context.js";
import type { Db } from "../../db/client.js";
import { conversationRetention, conversations } from "../../db/schema.js";
import { recordAudit } from "../audit/record.js";

const DAY_MS = 86_400_000;

export async function getRetention({ ctx }: { ctx: ServiceCtx }): Promise<number | null> {
  const [row] = await ctx.deps.database.db
    .select({ days: conversationRetention.days })
    .from(conversationRetention)
    .where(eq(conversationRetention.tenantId, ctx.auth.tenantId));
  return row?.days ?? null;
}

/** Sets (or clears, with null) how many days after their last message a tenant's conversations are kept. */
export async function setRetention({ ctx, input }: { ctx: ServiceCtx; input: { days: number | null } }) {
  const { db } = ctx.deps.database;
  await db.transaction(async (tx) => {
    if (input.days === null) {
      await tx.delete(conversationRetention).where(eq(conversationRetention.tenantId, ctx.auth.tenantId));
    } else {
      await tx
        .insert(conversationRetention)
        .values({ tenantId: ctx.auth.tenantId, days: input.days })
        .onConflictDoUpdate({
          target: conversationRetention.tenantId,
          set: { days: input.days, updatedAt: new Date() },
        });
    }
    await recordAudit(tx, {
      tenantId: ctx.auth.tenantId,
      actorKeyId: ctx.auth.keyId,
      action: "conversation_retention.update",
      resourceType: "tenant",
      resourceId: ctx.auth.tenantId,
      detail: { days: input.days },
      requestId: ctx.requestId,
    });
  });
  return input.days;
}

/** Deletes one tenant's conversations (and, by cascade, their messages) older than its retention. */
export async function purgeTenantConversations(db: Db, tenantId: string, days: number, now = new Date()) {
  const cutoff = new Date(now.getTime() - days * DAY_MS);
  const gone = await db
    .delete(conversations)
    .where(and(eq(conversations.tenantId, tenantId), lt(conversations.lastMessageAt, cutoff)))
    .returning({ id: conversations.id });
  return gone.length;
}

export async function purgeConversations({ ctx }: { ctx: ServiceCtx }): Promise<{ deleted: number }> {
  const days = await getRetention({ ctx });
  if (days === null) return { deleted: 0 };
  return { deleted: await purgeTenantConversations(ctx.deps.database.db, ctx.auth.tenantId, days) };
}

/** Every tenant with a retention setting; the server runs this hourly. */
export async function purgeAllExpired(db: Db, now = new Date()): Promise<number> {
  const settings = await db.select().from(conversationRetention);
  let deleted = 0;
  for (const s of settings) deleted += await purgeTenantConversations(db, s.tenantId, s.days, now);
  return deleted;
}
