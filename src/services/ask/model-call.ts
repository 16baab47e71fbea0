import { chargeOf } from "../../billing/plans.js";
import { isChatError } from "../../models/chat/errors.js";
import { countChatTokens, countTextTokens, encodingForModel } from "../../models/chat/token-count.js";
import { costMicros } from "../../models/cost.js";
import type { ChatMessage, ChatUsage } from "../../models/types.js";
import { settleCallRetrying } from "../budgets/settle.js";

import { type AskEvent, type CallStatus, microsToUsd, type UsageData } from "./events.js";
import type { PlannedCall, PreparedAsk } from "./prepare.js";

export interface CallOutcome {
  model: string;
  status: CallStatus;
  text: string;
  /** True when the call failed before streaming any text: falling back is still invisible to the user. */
  failedBeforeFirstToken: boolean;
  usage: UsageData;
}

/** How long a model call's ledger write is retried before it is given up and logged. */
const LEDGER_RETRY_MS = 20_000;

const ZERO_USAGE: ChatUsage = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, source: "provider" };

/**
 * What a failed call consumed. A provider that answered with an HTTP error before any output (429, 5xx,
 * 401...) processed nothing and bills nothing; a call cut off mid-stream or aborted by the client did
 * consume its prompt and the text streamed so far, and is billed for them.
 */
async function consumedBy(
  err: unknown,
  call: PlannedCall,
  messages: ChatMessage[],
  text: string,
): Promise<ChatUsage> {
  if (isChatError(err)) {
    const rejected = err.beforeFirstToken && err.status !== undefined && err.code !== "aborted";
    return rejected ? ZERO_USAGE : err.usage;
  }
  const encoding = encodingForModel(call.info.upstream);
  return {
    inputTokens: call.promptTokens ?? (await countChatTokens(messages, encoding)),
    outputTokens: await countTextTokens(text, encoding),
    cachedInputTokens: 0,
    source: "estimated",
  };
}

function statusOf(err: unknown, text: string, signal: AbortSignal): CallStatus {
  if (err === undefined) return "ok";
  if (signal.aborted || (isChatError(err) && err.code === "aborted")) return "aborted";
  return text === "" ? "failed" : "cut_off";
}

/**
 * Runs one model call: streams its deltas, then emits its usage (and error), and settles its budget
 * reservation with a ledger row — always, whether the call succeeded, failed, was cut off or aborted.
 */
export async function runModelCall(
  prepared: PreparedAsk,
  call: PlannedCall,
  signal: AbortSignal,
  emit: (e: AskEvent) => void,
): Promise<CallOutcome> {
  const model = call.info.id;
  const started = performance.now();
  let ttft: number | null = null;
  let text = "";
  let usage: ChatUsage | undefined;
  let error: unknown;
  try {
    const stream = call.chat.stream(prepared.messages, {
      maxTokens: call.maxTokens,
      signal,
      ...(prepared.temperature !== undefined ? { temperature: prepared.temperature } : {}),
    });
    for await (const ev of stream) {
      if (ev.type === "usage") {
        usage = ev.usage;
        continue;
      }
      ttft ??= performance.now() - started;
      text += ev.text;
      emit({ type: "delta", data: { model, text: ev.text } });
    }
  } catch (e) {
    error = e;
  }
  const latencyMs = Math.round(performance.now() - started);
  const status = statusOf(error, text, signal);
  const reported =
    error === undefined && usage ? usage : await consumedBy(error, call, prepared.messages, text);
  // No call can produce more than max_tokens of output: a provider reporting more is billed at the cap,
  // and its number is kept in the ledger (reported_output_tokens) for a person to look into.
  const overReported = reported.outputTokens > call.maxTokens;
  const used = overReported ? { ...reported, outputTokens: call.maxTokens } : reported;
  const cost = costMicros(used, call.info.price);
  const charge = chargeOf(cost, call.markupPpm);
  if (overReported) {
    prepared.ctx.deps.logger.warn(
      { model, maxTokens: call.maxTokens, reportedOutputTokens: reported.outputTokens },
      "provider reported more output tokens than max_tokens; billed at max_tokens",
    );
  }
  // What the reservation did not cover (the provider counted more prompt tokens than the margin allowed).
  const overReservation = call.reservationId ? Math.max(0, cost - call.reservedMicros) : 0;
  const { ctx } = prepared;
  const data: UsageData = {
    model,
    status,
    input_tokens: used.inputTokens,
    output_tokens: used.outputTokens,
    cached_input_tokens: used.cachedInputTokens,
    usage_source: used.source,
    cost_micros: cost,
    cost_usd: microsToUsd(cost),
    charge_micros: charge,
    charge_usd: microsToUsd(charge),
    latency_ms: latencyMs,
    ttft_ms: ttft === null ? null : Math.round(ttft),
  };
  const errorCode = error === undefined ? null : isChatError(error) ? error.code : "internal_error";
  try {
    await settleCallRetrying(
      ctx.deps.database.db,
      call.reservationId,
      {
        tenantId: ctx.auth.tenantId,
        keyId: ctx.auth.keyId,
        requestId: ctx.requestId,
        kind: "chat",
        kbIds: prepared.kbIds,
        model,
        inputTokens: used.inputTokens,
        outputTokens: used.outputTokens,
        cachedInputTokens: used.cachedInputTokens,
        costMicros: cost,
        usageSource: used.source,
        latencyMs,
        ttftMs: data.ttft_ms,
        status,
        errorCode,
        reportedOutputTokens: overReported ? reported.outputTokens : null,
        overReservationMicros: overReservation,
        chargeMicros: charge,
        idempotencyKey: ctx.idempotencyKey ?? null,
      },
      { floorMicros: ctx.deps.config.WALLET_FLOOR_MICROS, includedCreditMicros: call.includedCreditMicros },
      {
        // A busy or restarting database must not leave an answered call unbilled; the client waits
        // for `usage` meanwhile (the answer itself has already streamed).
        deadlineMs: LEDGER_RETRY_MS,
        onRetry: (attempt, err) =>
          ctx.deps.logger.warn(
            { err, model, attempt, requestId: ctx.requestId },
            "usage ledger write retried",
          ),
      },
    );
  } catch (err) {
    ctx.deps.logger.error({ err, model, requestId: ctx.requestId }, "could not write the usage ledger row");
  }
  // Observers never throw (src/metrics.ts guards every increment); the optional chain covers the edge.
  ctx.deps.metrics?.observeModelCall?.({
    model,
    status,
    inputTokens: used.inputTokens,
    outputTokens: used.outputTokens,
    costMicros: cost,
    ttftMs: data.ttft_ms,
  });
  emit({ type: "usage", data });
  if (error !== undefined && status !== "aborted") {
    const message = isChatError(error) ? error.message : "the model call failed unexpectedly";
    if (!isChatError(error)) ctx.deps.logger.error({ err: error, model }, "model call failed");
    emit({ type: "error", data: { model, code: errorCode ?? "internal_error", message } });
  }
  return { model, status, text, failedBeforeFirstToken: text === "" && error !== undefined, usage: data };
}
