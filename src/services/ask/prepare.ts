import { renderPrompt } from "../../../prompts/index.js";
import { chargeOf, markupPpm } from "../../billing/plans.js";
import type { ServiceCtx } from "../../context.js";
import { countChatTokens, encodingForModel } from "../../models/chat/token-count.js";
import { maxCostMicros } from "../../models/cost.js";
import type { ModelInfo } from "../../models/registry.js";
import type { ChatMessage, ChatModel } from "../../models/types.js";
import type { MetaFilter } from "../../vector/types.js";
import { checkModelAllowed, type Metered, meterRequest } from "../billing/quota.js";
import { reservedPromptTokens } from "../budgets/margin.js";
import { reserveBudget } from "../budgets/reserve.js";
import { budgetApplies } from "../budgets/spend.js";
import { ValidationError } from "../errors.js";
import { expandQuery, rerankChunks } from "../plugins/apply.js";
import { modelsForOrg } from "../plugins/chat-models.js";
import { searchChunks } from "../search/search.js";
import { retrievalAnswerable } from "./answerability.js";
import type { AskSource } from "./events.js";
import { withHistory } from "./history.js";
import { numberSources, toPromptSources } from "./sources.js";

/** Output cap when the request names none: bounds both the answer and the budget reservation. */
export const DEFAULT_MAX_TOKENS = 1024;

export interface AskInput {
  question: string;
  kbIds: string[];
  models?: string[];
  mode: "compare" | "fallback";
  template?: string;
  filter?: MetaFilter;
  documentIds?: string[];
  documentVersionIds?: string[];
  topK: number;
  maxTokens?: number;
  temperature?: number;
  /** The caller's own instructions (a chat completion's system messages), after the template's. */
  instructions?: string;
  /** Retrieval query when it differs from the question (a conversation's standalone rewrite). */
  retrievalQuery?: string;
  /** Earlier conversation turns, oldest first; trimmed to the models' context windows. */
  history?: ChatMessage[];
}

export interface PlannedCall {
  info: ModelInfo;
  chat: ChatModel;
  maxTokens: number;
  /** Prompt tokens counted locally for the reservation; null when no budget applies (not counted). */
  promptTokens: number | null;
  reservedMicros: number;
  reservationId: string | null;
  /** The plan's markup for this model in parts per million (1_000_000 = at cost; issue 16). */
  markupPpm: number;
  /** The plan's monthly included credit, which pays overage before the wallet (0 without billing). */
  includedCreditMicros: number;
}

/**
 * What the model calls need while they run. The sources' records are not in here: they are sent to
 * the client once and then dropped. Only the prompt keeps their text, rendered and as the question's
 * grounding (number, title, text) for the offline model.
 */
export interface PreparedAsk {
  ctx: ServiceCtx;
  mode: AskInput["mode"];
  kbIds: string[];
  /** How many sources the prompt numbered: citations above it are unknown. */
  sourceCount: number;
  /**
   * Whether the sources hold enough evidence for an answer; language-model answers inherit it. Asked
   * only when such an answer is summed up (after its stream), so the sentence scoring it takes never
   * runs before a first token, nor at all for the offline model, which decides for itself.
   */
  retrievalAnswerable: () => boolean;
  /** The rendered prompt, kept to estimate usage if a provider reports none (or the call is cut). */
  messages: ChatMessage[];
  calls: PlannedCall[];
  temperature?: number;
  embeddingTokens: number;
  embeddingCostMicros: number;
  /** For the organization's post-processor plugins (issue 19): the question and its numbered sources. */
  postprocess?: { question: string; sources: { n: number; documentId: string; title: string }[] };
}

async function resolveModels(ctx: ServiceCtx, ids: string[] | undefined) {
  // The deployment's models and the organization's chat-provider plugins (issue 19).
  const registry = await modelsForOrg(ctx);
  const wanted = ids?.length ? ids : [registry.defaultModelId];
  return wanted.map((id, i) => {
    const entry = registry.get(id);
    if (!entry) {
      const known = registry.list().map((m) => m.id);
      throw new ValidationError(`Unknown model "${id}". Available: ${known.join(", ")} (GET /v1/models).`, [
        { field: `models.${i}`, message: `unknown model "${id}"` },
      ]);
    }
    return entry;
  });
}

/**
 * Plans one call per model over the rendered messages and reserves their maximum cost (402 with
 * nothing spent when a budget could be exceeded). Shared by every door that runs model calls.
 */
async function planCalls(
  ctx: ServiceCtx,
  models: { info: ModelInfo; chat: ChatModel }[],
  messages: ChatMessage[],
  requestedMaxTokens: number | undefined,
  budgetedByLimits: boolean,
  metered: Metered | null,
): Promise<PlannedCall[]> {
  const calls: PlannedCall[] = [];
  // A call past its plan's quota is paid from the wallet, so it reserves like a budgeted one.
  const budgeted = budgetedByLimits || metered?.overage === true;
  for (const { info, chat } of models) {
    if (metered) checkModelAllowed(metered.plan, info.id);
    const ppm = metered ? markupPpm(metered.plan, info.id) : 1_000_000;
    const maxTokens =
      requestedMaxTokens ?? Math.min(DEFAULT_MAX_TOKENS, info.maxOutputTokens ?? DEFAULT_MAX_TOKENS);
    // Counting tokens costs milliseconds per call; only a reservation needs the number up front.
    const promptTokens = budgeted ? await countChatTokens(messages, encodingForModel(info.upstream)) : null;
    // The reservation counts the prompt with a margin (src/services/budgets/margin.ts).
    const maxCost =
      promptTokens === null ? 0 : maxCostMicros(reservedPromptTokens(promptTokens), maxTokens, info.price);
    // Budgets count cost and the wallet pays the charge: hold the larger, which covers both.
    const reservedMicros = Math.max(maxCost, chargeOf(maxCost, ppm));
    calls.push({
      info,
      chat,
      maxTokens,
      promptTokens,
      reservedMicros,
      reservationId: null,
      markupPpm: ppm,
      includedCreditMicros: metered?.plan.included_credit_micros ?? 0,
    });
  }
  // Fallback reserves every model too: in the worst case each one runs.
  const reservation = await reserveBudget(ctx.deps.database.db, {
    tenantId: ctx.auth.tenantId,
    keyId: ctx.auth.keyId,
    amounts: calls.map((c) => c.reservedMicros),
    ...(metered?.overage
      ? {
          wallet: {
            floorMicros: ctx.deps.config.WALLET_FLOOR_MICROS,
            includedCreditMicros: metered.plan.included_credit_micros,
          },
        }
      : {}),
  });
  calls.forEach((c, i) => {
    c.reservationId = reservation.ids[i] ?? null;
  });
  return calls;
}

/**
 * A model call over the caller's own messages, without retrieval (an ungrounded chat completion):
 * the same models, budget reservation, ledger rows and events as an ask, with no sources.
 */
export async function prepareChat({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { messages: ChatMessage[]; models?: string[]; maxTokens?: number; temperature?: number };
}): Promise<PreparedAsk> {
  const models = await resolveModels(ctx, input.models);
  const metered = await meterRequest(ctx);
  const budgeted = await budgetApplies(ctx.deps.database.db, ctx.auth.tenantId, ctx.auth.keyId);
  const calls = await planCalls(ctx, models, input.messages, input.maxTokens, budgeted, metered);
  return {
    ctx,
    mode: "compare",
    kbIds: [],
    sourceCount: 0,
    // No retrieval, so no evidence threshold: the model alone decides what it can answer.
    retrievalAnswerable: () => true,
    messages: input.messages,
    calls,
    ...(input.temperature !== undefined ? { temperature: input.temperature } : {}),
    embeddingTokens: 0,
    embeddingCostMicros: 0,
  };
}

/**
 * Everything that can fail with a plain HTTP error happens here, before a stream starts: unknown models,
 * invisible knowledge bases, retrieval, and the budget reservation (402 with nothing spent).
 */
export async function prepareAsk({
  ctx,
  input,
  signal,
}: {
  ctx: ServiceCtx;
  input: AskInput;
  signal?: AbortSignal;
}): Promise<{ prepared: PreparedAsk; sources: AskSource[] }> {
  const models = await resolveModels(ctx, input.models);
  const { db } = ctx.deps.database;
  const metered = await meterRequest(ctx);
  const query = {
    query: await expandQuery(ctx, input.retrievalQuery ?? input.question),
    kbIds: input.kbIds,
    filter: input.filter,
    documentIds: input.documentIds,
    documentVersionIds: input.documentVersionIds,
    topK: input.topK,
  };
  const [found, budgeted] = await Promise.all([
    searchChunks({ ctx, input: { ...query, mode: "hybrid" }, ...(signal ? { signal } : {}) }),
    budgetApplies(db, ctx.auth.tenantId, ctx.auth.keyId),
  ]);
  const kb = found.kbs[0]!;
  const sources = numberSources(await rerankChunks(ctx, query.query, found.chunks));
  const rendered = renderPrompt({
    template: input.template ?? kb.promptTemplate,
    question: input.question,
    sources: toPromptSources(sources),
    ...(kb.language === "en" || kb.language === "zh" ? { language: kb.language } : {}),
  });
  if (input.instructions) rendered[0]!.content += `\n\n${input.instructions}`;
  const capOf = (info: ModelInfo) =>
    input.maxTokens ?? Math.min(DEFAULT_MAX_TOKENS, info.maxOutputTokens ?? DEFAULT_MAX_TOKENS);
  const { messages } = await withHistory(
    rendered,
    input.history,
    models.map(({ info }) => ({ info, maxTokens: capOf(info) })),
  );
  const calls = await planCalls(ctx, models, messages, input.maxTokens, budgeted, metered);
  // Only what the evidence check reads is kept for it (the records themselves are dropped).
  const grounding = sources.map(({ n, title, text }) => ({ n, title, text }));
  const prepared: PreparedAsk = {
    ctx,
    mode: input.mode,
    kbIds: found.kbs.map((k) => k.id),
    sourceCount: sources.length,
    retrievalAnswerable: once(() => retrievalAnswerable(input.question, grounding)),
    messages,
    calls,
    ...(input.temperature !== undefined ? { temperature: input.temperature } : {}),
    embeddingTokens: found.embedding.tokens,
    embeddingCostMicros: found.embedding.costMicros,
    postprocess: {
      question: input.question,
      sources: sources.map((x) => ({ n: x.n, documentId: x.document_id, title: x.title })),
    },
  };
  return { prepared, sources };
}

function once<T>(f: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = f();
      done = true;
    }
    return value;
  };
}
