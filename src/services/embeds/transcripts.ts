import { asc, desc, eq, inArray } from "drizzle-orm";
import type { ServiceCtx } from "../../context.js";
import { keysetPage, type PageInput } from "../../db/paging.js";
import { conversationMessages, conversations } from "../../db/schema.js";
import { formatMicros } from "../../models/cost.js";
import type { ConversationRow } from "../conversations/create.js";
import type { MessageRow } from "../conversations/get.js";
import type { StoredSource } from "../conversations/send.js";
import { getEmbed } from "./manage.js";

export interface Transcript {
  conversation: ConversationRow;
  messages: MessageRow[];
}

/** An embed's conversations, oldest first, each with every message (citations, feedback, cost). */
export async function listTranscripts({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: PageInput & { embedId: string };
}): Promise<{ items: Transcript[]; nextCursor: string | null }> {
  await getEmbed({ ctx, input: { id: input.embedId } });
  const { db } = ctx.deps.database;
  const { items: page, nextCursor } = await keysetPage(db.select().from(conversations).$dynamic(), input, {
    by: conversations.id,
    where: [eq(conversations.tenantId, ctx.auth.tenantId), eq(conversations.embedId, input.embedId)],
  });
  const messages = page.length
    ? await db
        .select()
        .from(conversationMessages)
        .where(
          inArray(
            conversationMessages.conversationId,
            page.map((p) => p.id),
          ),
        )
        .orderBy(asc(conversationMessages.createdAt), desc(conversationMessages.role))
    : [];
  const byConversation = new Map<string, MessageRow[]>();
  for (const m of messages) {
    const list = byConversation.get(m.conversationId) ?? [];
    list.push(m);
    byConversation.set(m.conversationId, list);
  }
  return {
    items: page.map((conversation) => ({
      conversation,
      messages: byConversation.get(conversation.id) ?? [],
    })),
    nextCursor,
  };
}

const COLUMNS = [
  "conversation_id",
  "visitor_id",
  "message_id",
  "created_at",
  "role",
  "content",
  "citations",
  "feedback",
  "feedback_comment",
  "model",
  "cost_usd",
];

function cell(value: string): string {
  // A leading = + - @ would run as a formula in spreadsheet apps: visitors write this text.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** "Router manual p. 4; Shipping guide p. 1-2": the sources an answer cited, as a reader names them. */
export function citedLabel(m: MessageRow): string {
  const sources = (m.sources ?? []) as StoredSource[];
  return (m.citations ?? [])
    .map((n) => sources.find((s) => s.n === n))
    .filter((s): s is StoredSource => s !== undefined)
    .map((s) => {
      if (s.page_start === null) return `[${s.n}] ${s.title}`;
      const pages =
        s.page_end && s.page_end !== s.page_start ? `${s.page_start}-${s.page_end}` : `${s.page_start}`;
      return `[${s.n}] ${s.title} p. ${pages}`;
    })
    .join("; ");
}

/** RFC 4180 CSV, one row per message. */
export function transcriptsCsv(items: Transcript[]): string {
  const lines = [COLUMNS.join(",")];
  for (const { conversation, messages } of items) {
    for (const m of messages) {
      lines.push(
        [
          conversation.id,
          conversation.visitorId ?? "",
          m.id,
          m.createdAt.toISOString(),
          m.role,
          m.content,
          citedLabel(m),
          m.feedback === 1 ? "up" : m.feedback === -1 ? "down" : "",
          m.feedbackComment ?? "",
          m.model ?? "",
          formatMicros(m.costMicros),
        ]
          .map((v) => cell(String(v)))
          .join(","),
      );
    }
  }
  return `${lines.join("\r\n")}\r\n`;
}
