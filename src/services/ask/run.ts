import { releaseReservations } from "../budgets/reserve.js";
import { postprocessAnswer } from "../plugins/apply.js";
import { answerableAnswer } from "./answerability.js";
import { EventQueue } from "./event-queue.js";
import { type AskEvent, type AskSource, type DoneData, type ModelSummary, microsToUsd } from "./events.js";
import { type CallOutcome, runModelCall } from "./model-call.js";
import type { PreparedAsk } from "./prepare.js";
import { splitCitations } from "./sources.js";

/** Runs the organization's post-processor plugins on each finished answer (issue 19). */
async function postprocess(p: PreparedAsk, outcomes: CallOutcome[], done: DoneData) {
  const { question, sources } = p.postprocess!;
  for (const m of done.models) {
    const o = outcomes.find((x) => x.model === m.model);
    if (!o || m.status !== "ok") continue;
    const citations = sources.filter((s) => m.citations.includes(s.n));
    const answer = await postprocessAnswer(p.ctx, { question, answer: o.text, citations, model: m.model });
    if (answer !== o.text) m.postprocessed_text = answer;
  }
}

async function compare(
  p: PreparedAsk,
  signal: AbortSignal,
  emit: (e: AskEvent) => void,
): Promise<CallOutcome[]> {
  // One model failing never stops the others: runModelCall never throws for a model's own failure.
  return Promise.all(p.calls.map((call) => runModelCall(p, call, signal, emit)));
}

/** The next model answers only if the previous one failed before its first token. */
async function fallback(
  p: PreparedAsk,
  signal: AbortSignal,
  emit: (e: AskEvent) => void,
): Promise<CallOutcome[]> {
  const outcomes: CallOutcome[] = [];
  let next = 0;
  try {
    while (next < p.calls.length && !signal.aborted) {
      const outcome = await runModelCall(p, p.calls[next++]!, signal, emit);
      outcomes.push(outcome);
      if (!outcome.failedBeforeFirstToken || outcome.status === "aborted") break;
    }
  } finally {
    await releaseReservations(
      p.ctx.deps.database.db,
      p.calls.slice(next).map((c) => c.reservationId),
    );
  }
  return outcomes;
}

function summarize(p: PreparedAsk, outcomes: CallOutcome[], startedAt: number): DoneData {
  const byModel = new Map(outcomes.map((o) => [o.model, o]));
  const models: ModelSummary[] = p.calls.map((c) => {
    const o = byModel.get(c.info.id);
    if (!o)
      return { model: c.info.id, status: "skipped", citations: [], unknown_citations: [], answerable: false };
    const { citations, unknown } = splitCitations(o.text, p.sourceCount);
    const answerable = answerableAnswer(o, c.info.provider, p.retrievalAnswerable);
    return { model: o.model, status: o.status, citations, unknown_citations: unknown, answerable };
  });
  let input = 0;
  let output = 0;
  let cost = p.embeddingCostMicros;
  for (const o of outcomes) {
    input += o.usage.input_tokens;
    output += o.usage.output_tokens;
    cost += o.usage.cost_micros;
  }
  return {
    models,
    answerable: models.some((m) => m.answerable),
    input_tokens: input,
    output_tokens: output,
    embedding_tokens: p.embeddingTokens,
    cost_micros: cost,
    cost_usd: microsToUsd(cost),
    latency_ms: Math.round(performance.now() - startedAt),
  };
}

/**
 * The events of one ask: `sources` first, then the models' deltas, usage and errors interleaved as they
 * arrive, then `done`. If the consumer stops early (client gone), the generator still waits for every
 * call to settle its ledger row; the caller aborts `signal` so that happens quickly.
 *
 * Not itself a generator: the sources go straight into the queue, so once they are written nothing
 * holds them (a generator would keep its arguments for as long as the stream stays open).
 */
export function runAsk(
  p: PreparedAsk,
  sources: AskSource[],
  signal: AbortSignal,
  startedAt = performance.now(),
): AsyncGenerator<AskEvent> {
  const queue = new EventQueue<AskEvent>();
  queue.push({ type: "sources", data: { sources } });
  return events(p, queue, signal, startedAt);
}

async function* events(
  p: PreparedAsk,
  queue: EventQueue<AskEvent>,
  signal: AbortSignal,
  startedAt: number,
): AsyncGenerator<AskEvent> {
  const emit = (e: AskEvent) => queue.push(e);
  const work = (p.mode === "fallback" ? fallback(p, signal, emit) : compare(p, signal, emit)).finally(() =>
    queue.end(),
  );
  // Keep an early rejection from being reported as unhandled before the loop below reaches it.
  work.catch(() => {});
  try {
    for await (const e of queue) yield e;
    const outcomes = await work;
    const done = summarize(p, outcomes, startedAt);
    if (p.postprocess) await postprocess(p, outcomes, done);
    yield { type: "done", data: done };
  } finally {
    await work.catch((err) => p.ctx.deps.logger.error({ err }, "ask failed while settling"));
  }
}
