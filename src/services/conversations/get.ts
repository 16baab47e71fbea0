import { and, asc, desc, eq } from "drizzle-orm";
import type { ServiceCtx } from "../../context.js";
import { conversationMessages, conversations } from "../../db/schema.js";
import { NotFoundError } from "../errors.js";
import type { ConversationRow } from "./create.js";

export type MessageRow = typeof conversationMessages.$inferSelect;

/**
 * A conversation the caller may see: its tenant's, and for keys without the admin scope only the ones
 * that key started (an embed's context sees only the embed's). Anything else is a 404.
 */
export async function loadConversation(ctx: ServiceCtx, id: string): Promise<ConversationRow> {
  const [row] = await ctx.deps.database.db
    .select()
    .from(conversations)
    .where(and(eq(conversations.id, id), eq(conversations.tenantId, ctx.auth.tenantId)))
    .limit(1);
  if (!row) throw new NotFoundError("Conversation", id);
  const admin = ctx.auth.scopes.includes("admin");
  const own = row.embedId ? row.embedId === ctx.auth.keyId : row.keyId === ctx.auth.keyId;
  if (!admin && !own) throw new NotFoundError("Conversation", id);
  return row;
}

export async function listMessages(ctx: ServiceCtx, conversationId: string): Promise<MessageRow[]> {
  return (
    ctx.deps.database.db
      .select()
      .from(conversationMessages)
      .where(
        and(
          eq(conversationMessages.conversationId, conversationId),
          eq(conversationMessages.tenantId, ctx.auth.tenantId),
        ),
      )
      // A turn's two rows can share a millisecond; the question is stored before its answer.
      .orderBy(asc(conversationMessages.createdAt), desc(conversationMessages.role))
  );
}

export async function getConversation({ ctx, input }: { ctx: ServiceCtx; input: { id: string } }) {
  const conversation = await loadConversation(ctx, input.id);
  return { conversation, messages: await listMessages(ctx, conversation.id) };
}
