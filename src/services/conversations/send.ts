import { eq, sql } from "drizzle-orm";
import type { ServiceCtx } from "../../context.js";
import { conversationMessages, conversations } from "../../db/schema.js";
import { newId } from "../../ids.js";
import type { AskEvent, AskSource, DoneData } from "../ask/events.js";
import { prepareAsk } from "../ask/prepare.js";
import { modelsOf } from "../ask/registry.js";
import { runAsk } from "../ask/run.js";
import type { ConversationRow } from "./create.js";
import { listMessages } from "./get.js";
import type { Turn } from "./rewrite.js";
import { rewriteFollowUp } from "./rewrite-call.js";

export interface SendInput {
  question: string;
  topK: number;
  maxTokens?: number;
  temperature?: number;
}

/** What a transcript keeps of a source: enough to show the chip and the cited passage. */
export interface StoredSource {
  n: number;
  document_id: string;
  title: string;
  page_start: number | null;
  page_end: number | null;
  text: string;
}

const storedSource = (s: AskSource): StoredSource => ({
  n: s.n,
  document_id: s.document_id,
  title: s.title,
  page_start: s.page_start,
  page_end: s.page_end,
  text: s.text,
});

/**
 * One turn: rewrite the follow-up into a standalone query, retrieve with it, answer with the earlier
 * turns as context (trimmed to the window), and stream the ask's events unchanged. Both turns are stored
 * once the stream ends, however it ends, so a transcript shows what the visitor saw.
 */
export async function sendMessage({
  ctx,
  conversation,
  input,
  signal,
}: {
  ctx: ServiceCtx;
  conversation: ConversationRow;
  input: SendInput;
  signal: AbortSignal;
}): Promise<{ userMessageId: string; assistantMessageId: string; events: AsyncGenerator<AskEvent> }> {
  const started = performance.now();
  const past = await listMessages(ctx, conversation.id);
  const history: Turn[] = past
    .filter((m) => m.content !== "" && (m.role === "user" || m.role === "assistant"))
    .map((m) => ({ role: m.role as Turn["role"], content: m.content }));
  const modelIds = conversation.models.length ? conversation.models : [modelsOf(ctx.deps).defaultModelId];
  const rewrite = await rewriteFollowUp(
    ctx,
    { history, question: input.question, modelId: modelIds[0]!, kbIds: conversation.kbIds },
    signal,
  );
  const { prepared, sources } = await prepareAsk({
    ctx,
    input: {
      // The offline rewrite only runs without a model that reads history (the extractive one answers
      // from the question's words), so that answerer gets the words the earlier turns supplied.
      question: rewrite.method === "offline" ? rewrite.query : input.question,
      retrievalQuery: rewrite.query,
      history,
      kbIds: conversation.kbIds,
      models: modelIds,
      mode: "fallback",
      ...(conversation.promptTemplate ? { template: conversation.promptTemplate } : {}),
      topK: input.topK,
      ...(input.maxTokens !== undefined ? { maxTokens: input.maxTokens } : {}),
      ...(input.temperature !== undefined ? { temperature: input.temperature } : {}),
    },
    signal,
  });
  const userMessageId = newId("msg");
  const assistantMessageId = newId("msg");
  await ctx.deps.database.db.insert(conversationMessages).values({
    id: userMessageId,
    conversationId: conversation.id,
    tenantId: ctx.auth.tenantId,
    embedId: conversation.embedId,
    role: "user",
    content: input.question,
    query: rewrite.query,
    rewriteMethod: rewrite.method,
    costMicros: rewrite.costMicros,
  });
  const stored = sources.map(storedSource);
  const events = persistTurn(ctx, runAsk(prepared, sources, signal, started), {
    conversation,
    assistantMessageId,
    sources: stored,
    extraCost: rewrite.costMicros,
  });
  return { userMessageId, assistantMessageId, events };
}

async function* persistTurn(
  ctx: ServiceCtx,
  events: AsyncGenerator<AskEvent>,
  turn: {
    conversation: ConversationRow;
    assistantMessageId: string;
    sources: StoredSource[];
    extraCost: number;
  },
): AsyncGenerator<AskEvent> {
  const text = new Map<string, string>();
  let done: DoneData | undefined;
  try {
    for await (const e of events) {
      if (e.type === "delta") text.set(e.data.model, (text.get(e.data.model) ?? "") + e.data.text);
      else if (e.type === "done") done = e.data;
      yield e;
    }
  } finally {
    // Fallback mode: the answer is the one model that wrote text (or the last one tried).
    const answered = done?.models.find((m) => text.has(m.model)) ?? done?.models.at(-1);
    const model = answered?.model ?? [...text.keys()][0] ?? null;
    const cost = (done?.cost_micros ?? 0) + turn.extraCost;
    const db = ctx.deps.database.db;
    try {
      await db.insert(conversationMessages).values({
        id: turn.assistantMessageId,
        conversationId: turn.conversation.id,
        tenantId: ctx.auth.tenantId,
        embedId: turn.conversation.embedId,
        role: "assistant",
        content: model ? (text.get(model) ?? "") : "",
        model,
        status: answered?.status ?? "aborted",
        sources: turn.sources,
        citations: answered?.citations ?? [],
        costMicros: done?.cost_micros ?? 0,
      });
      await db
        .update(conversations)
        .set({
          messageCount: sql`${conversations.messageCount} + 2`,
          costMicros: sql`${conversations.costMicros} + ${cost}`,
          lastMessageAt: new Date(),
        })
        .where(eq(conversations.id, turn.conversation.id));
    } catch (err) {
      ctx.deps.logger.error({ err, conversationId: turn.conversation.id }, "could not store the answer");
    }
  }
}
