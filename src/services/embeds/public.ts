/**
 * What a widget visitor may do through an embed, with no API key: the embed stands in for the key
 * (its id is the ledger's key id, its knowledge bases the only ones visible), and its caps and budget
 * are checked before anything costs money.
 */
import { createHash, randomBytes } from "node:crypto";
import { and, count, eq, gte } from "drizzle-orm";
import type { AppDeps, ServiceCtx } from "../../context.js";
import { conversationMessages, conversations, embeds } from "../../db/schema.js";
import { formatMicros } from "../../models/cost.js";
import { committedMicros } from "../budgets/spend.js";
import { type ConversationRow, createConversation } from "../conversations/create.js";
import { LimitExceededError, NotFoundError, ServiceError } from "../errors.js";
import type { EmbedRow } from "./create.js";

export const hashAccessToken = (token: string) => createHash("sha256").update(token).digest("hex");

export async function loadEmbed(deps: AppDeps, id: string): Promise<EmbedRow> {
  const [row] = await deps.database.db.select().from(embeds).where(eq(embeds.id, id)).limit(1);
  if (!row)
    throw new ServiceError("not_found", `Embed ${id} does not exist. Check data-embed-id in the snippet.`);
  return row;
}

/** The service context a visitor acts in: the embed's tenant, only the embed's knowledge bases. */
export function embedCtx(deps: AppDeps, embed: EmbedRow, requestId: string): ServiceCtx {
  return {
    deps,
    requestId,
    auth: {
      keyId: embed.id,
      tenantId: embed.tenantId,
      scopes: ["query"],
      kbIds: embed.kbIds,
      platform: false,
    },
  };
}

const dayStart = (now: Date) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));

function capReached(cap: string, limit: number, message: string): ServiceError {
  return new LimitExceededError("cap_reached", message, { data: { cap, limit } });
}

async function checkBudget(ctx: ServiceCtx, embed: EmbedRow, now: Date) {
  if (embed.monthlyBudgetMicros === null) return;
  const { key: spent } = await committedMicros(ctx.deps.database.db, embed.tenantId, embed.id, now);
  if (spent >= embed.monthlyBudgetMicros) {
    throw new LimitExceededError(
      "budget_exceeded",
      `This assistant has used its monthly budget ($${formatMicros(embed.monthlyBudgetMicros)}). It answers again next month, or when the site owner raises monthly_budget_usd.`,
      { data: { cap: "monthly_budget", budget_scope: "embed" } },
    );
  }
}

async function checkDailyMessages(ctx: ServiceCtx, embed: EmbedRow, now: Date) {
  if (embed.maxMessagesPerDay === null) return;
  const [row] = await ctx.deps.database.db
    .select({ n: count() })
    .from(conversationMessages)
    .where(
      and(
        eq(conversationMessages.embedId, embed.id),
        eq(conversationMessages.role, "user"),
        gte(conversationMessages.createdAt, dayStart(now)),
      ),
    );
  if ((row?.n ?? 0) >= embed.maxMessagesPerDay) {
    throw capReached(
      "messages_per_day",
      embed.maxMessagesPerDay,
      `This assistant has answered its ${embed.maxMessagesPerDay} questions for today (UTC). Try again tomorrow.`,
    );
  }
}

export async function startVisitorConversation({
  ctx,
  embed,
  visitorId,
}: {
  ctx: ServiceCtx;
  embed: EmbedRow;
  visitorId: string;
}): Promise<{ conversation: ConversationRow; token: string }> {
  const now = new Date();
  if (embed.maxConversationsPerVisitorPerDay !== null) {
    const [row] = await ctx.deps.database.db
      .select({ n: count() })
      .from(conversations)
      .where(
        and(
          eq(conversations.embedId, embed.id),
          eq(conversations.visitorId, visitorId),
          gte(conversations.createdAt, dayStart(now)),
        ),
      );
    if ((row?.n ?? 0) >= embed.maxConversationsPerVisitorPerDay) {
      throw capReached(
        "conversations_per_visitor_per_day",
        embed.maxConversationsPerVisitorPerDay,
        `You have started ${embed.maxConversationsPerVisitorPerDay} conversations today, the most this site allows. Try again tomorrow.`,
      );
    }
  }
  await checkBudget(ctx, embed, now);
  const token = randomBytes(24).toString("base64url");
  const conversation = await createConversation({
    ctx,
    input: {
      kbIds: embed.kbIds,
      models: embed.models,
      template: embed.promptTemplate,
      embed: { id: embed.id, visitorId, accessHash: hashAccessToken(token) },
    },
  });
  return { conversation, token };
}

/**
 * The visitor's own conversation: right embed, right access token, and (signed mode) the same visitor.
 * Anything else is "not found", so ids cannot be probed.
 */
export async function loadVisitorConversation(
  ctx: ServiceCtx,
  embed: EmbedRow,
  input: { id: string; token: string | undefined; visitorId: string | null },
): Promise<ConversationRow> {
  const [row] = await ctx.deps.database.db
    .select()
    .from(conversations)
    .where(and(eq(conversations.id, input.id), eq(conversations.embedId, embed.id)))
    .limit(1);
  const ok =
    row &&
    input.token &&
    row.accessHash === hashAccessToken(input.token) &&
    (input.visitorId === null || row.visitorId === input.visitorId);
  if (!ok) throw new NotFoundError("Conversation", input.id);
  return row;
}

/** Caps and budget before a question is answered. */
export async function checkMessageAllowed(ctx: ServiceCtx, embed: EmbedRow, conversation: ConversationRow) {
  const now = new Date();
  if (embed.maxMessagesPerConversation !== null) {
    const [row] = await ctx.deps.database.db
      .select({ n: count() })
      .from(conversationMessages)
      .where(
        and(eq(conversationMessages.conversationId, conversation.id), eq(conversationMessages.role, "user")),
      );
    if ((row?.n ?? 0) >= embed.maxMessagesPerConversation) {
      throw capReached(
        "messages_per_conversation",
        embed.maxMessagesPerConversation,
        `This conversation has reached its ${embed.maxMessagesPerConversation} questions. Start a new conversation to ask more.`,
      );
    }
  }
  await checkDailyMessages(ctx, embed, now);
  await checkBudget(ctx, embed, now);
}

export async function recordFeedback(
  ctx: ServiceCtx,
  conversation: ConversationRow,
  input: { messageId: string; rating: "up" | "down"; comment?: string },
) {
  const updated = await ctx.deps.database.db
    .update(conversationMessages)
    .set({ feedback: input.rating === "up" ? 1 : -1, feedbackComment: input.comment ?? null })
    .where(
      and(
        eq(conversationMessages.id, input.messageId),
        eq(conversationMessages.conversationId, conversation.id),
        eq(conversationMessages.role, "assistant"),
      ),
    )
    .returning({ id: conversationMessages.id });
  if (!updated.length) throw new NotFoundError("Message", input.messageId);
}
