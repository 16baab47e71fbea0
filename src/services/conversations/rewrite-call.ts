import type { ServiceCtx } from "../../context.js";
import { costMicros } from "../../models/cost.js";
import { EXTRACTIVE_MODEL_ID } from "../../models/extractive/index.js";
import type { ChatEvent, ChatModel, ChatUsage } from "../../models/types.js";
import { modelsOf } from "../ask/registry.js";
import { recordUsage } from "../ledger/record.js";
import { standaloneQuestion, type Turn } from "./rewrite.js";

/**
 * Rewrites a follow-up with the conversation's first model when it is a real one (the extractive model
 * cannot rewrite), and writes what the rewrite cost to the ledger like any other model call.
 */
export async function rewriteFollowUp(
  ctx: ServiceCtx,
  input: { history: Turn[]; question: string; modelId: string; kbIds: string[] },
  signal: AbortSignal,
): Promise<{ query: string; method: "none" | "offline" | "model"; costMicros: number }> {
  const entry = input.modelId === EXTRACTIVE_MODEL_ID ? undefined : modelsOf(ctx.deps).get(input.modelId);
  let usage: ChatUsage | undefined;
  let calls = 0;
  const started = performance.now();
  const chat: ChatModel | undefined = entry && {
    id: entry.chat.id,
    async *stream(messages, opts) {
      calls++;
      try {
        for await (const ev of entry.chat.stream(messages, opts) as AsyncIterable<ChatEvent>) {
          if (ev.type === "usage") usage = ev.usage;
          yield ev;
        }
      } catch (err) {
        usage = (err as { usage?: ChatUsage }).usage ?? usage;
        throw err;
      }
    },
  };
  const result = await standaloneQuestion({
    history: input.history,
    question: input.question,
    ...(chat ? { chat } : {}),
    signal,
  });
  let cost = 0;
  if (entry && calls > 0) {
    const used = usage ?? { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, source: "estimated" };
    cost = costMicros(used, entry.info.price);
    await recordUsage(ctx.deps.database.db, {
      tenantId: ctx.auth.tenantId,
      keyId: ctx.auth.keyId,
      requestId: ctx.requestId,
      kind: "chat",
      kbIds: input.kbIds,
      model: entry.info.id,
      inputTokens: used.inputTokens,
      outputTokens: used.outputTokens,
      cachedInputTokens: used.cachedInputTokens,
      costMicros: cost,
      usageSource: used.source,
      latencyMs: Math.round(performance.now() - started),
      status: result.method === "model" ? "ok" : "failed",
      errorCode: result.method === "model" ? null : "rewrite_failed",
    });
  }
  return { ...result, costMicros: cost };
}
