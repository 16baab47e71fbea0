/**
 * A chat completion (OpenAI's wire protocol) is an ask by another door: grounded requests go through
 * prepareAsk with the conversation's standalone question, ungrounded ones through prepareChat. Either
 * way the same model calls, budget reservations, ledger rows and events follow (runAsk).
 */
import type { ServiceCtx } from "../../context.js";
import type { ChatMessage } from "../../models/types.js";
import type { MetaFilter } from "../../vector/types.js";
import type { AskSource } from "../ask/events.js";
import { type PreparedAsk, prepareAsk, prepareChat } from "../ask/prepare.js";
import { standaloneQuestion, type Turn } from "../conversations/rewrite.js";
import { ValidationError } from "../errors.js";

export interface CompletionInput {
  /** The request's `model`, possibly a grounding alias (see parseModelAlias). */
  model: string;
  messages: ChatMessage[];
  kbIds?: string[];
  filter?: MetaFilter;
  topK: number;
  template?: string;
  maxTokens?: number;
  temperature?: number;
}

export interface PreparedCompletion {
  prepared: PreparedAsk;
  /** Empty when the completion is not grounded. */
  sources: AskSource[];
  grounded: boolean;
  /** The query retrieval used, and how the conversation was turned into it. */
  query: { text: string; method: "none" | "offline" | "model" } | null;
}

/**
 * `model` may carry knowledge bases: "<model>@<kb_id>[,<kb_id>...]" grounds the named model in them,
 * "@<kb_id>" the default model. Model ids never contain "@", so the alias cannot shadow a model.
 */
export function parseModelAlias(model: string): { model: string | undefined; kbIds: string[] } {
  const at = model.indexOf("@");
  if (at < 0) return { model, kbIds: [] };
  const kbIds = model
    .slice(at + 1)
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (kbIds.length === 0) {
    throw new ValidationError(
      `model "${model}" ends with "@" but names no knowledge base; use "<model>@<kb_id>" or drop the "@".`,
      [{ field: "model", message: "no knowledge base after @" }],
    );
  }
  return { model: at === 0 ? undefined : model.slice(0, at), kbIds };
}

/** Splits the messages into instructions, prior turns and the question (the last user message). */
function splitConversation(messages: ChatMessage[]) {
  const last = messages.at(-1);
  if (last?.role !== "user" || !last.content.trim()) {
    throw new ValidationError(
      "The last message must be a non-empty user message: it is the question the completion answers.",
      [{ field: `messages.${Math.max(0, messages.length - 1)}`, message: "expected role user" }],
    );
  }
  const instructions = messages
    .filter((m) => m.role === "system")
    .map((m) => m.content)
    .join("\n\n");
  const history = messages.slice(0, -1).filter((m): m is Turn => m.role !== "system");
  return { instructions, history, question: last.content.trim() };
}

export async function prepareCompletion({
  ctx,
  input,
  signal,
}: {
  ctx: ServiceCtx;
  input: CompletionInput;
  signal?: AbortSignal;
}): Promise<PreparedCompletion> {
  const alias = parseModelAlias(input.model);
  const kbIds = [...new Set([...(input.kbIds ?? []), ...alias.kbIds])];
  const models = alias.model ? [alias.model] : undefined;
  const common = {
    ...(models ? { models } : {}),
    ...(input.maxTokens !== undefined ? { maxTokens: input.maxTokens } : {}),
    ...(input.temperature !== undefined ? { temperature: input.temperature } : {}),
  };
  if (kbIds.length === 0) {
    const prepared = await prepareChat({ ctx, input: { messages: input.messages, ...common } });
    return { prepared, sources: [], grounded: false, query: null };
  }
  if (kbIds.length > 20) {
    throw new ValidationError("Ground a completion in at most 20 knowledge bases.", [
      { field: "knowledge_base_ids", message: "at most 20" },
    ]);
  }
  const { instructions, history, question } = splitConversation(input.messages);
  const rewritten = await standaloneQuestion({ history, question, ...(signal ? { signal } : {}) });
  const { prepared, sources } = await prepareAsk({
    ctx,
    input: {
      question: rewritten.query,
      kbIds,
      mode: "compare",
      topK: input.topK,
      ...common,
      ...(input.filter ? { filter: input.filter } : {}),
      ...(input.template ? { template: input.template } : {}),
      ...(instructions ? { instructions } : {}),
    },
    ...(signal ? { signal } : {}),
  });
  return { prepared, sources, grounded: true, query: { text: rewritten.query, method: rewritten.method } };
}
