import { Gauge, type Registry } from "prom-client";
import type { Logger } from "../context.js";
import { encodingForModel, warmEncoding } from "../models/chat/token-count.js";
import { extractiveAnswer } from "../models/extractive/index.js";
import type { ModelRegistry } from "../models/registry.js";
import type { Embedder } from "../models/types.js";
import type { VectorIndex } from "../vector/types.js";

export interface WarmUp {
  /** pending until the first step starts; never gates readiness (an early ask is served, just colder). */
  readonly state: "pending" | "running" | "done" | "failed";
  /** Milliseconds each finished step took. */
  readonly steps: Readonly<Record<string, number>>;
  /** Settles when every step has run; never rejects (a failed step is logged, the server carries on). */
  readonly done: Promise<void>;
}

interface Step {
  name: string;
  run(): Promise<unknown> | unknown;
}

/** A tenant id no organization has: the warm-up query touches the engine's query path and finds nothing. */
const NO_TENANT = "warm-up-no-tenant";

/**
 * What the first ask after start would otherwise load on the request's time (issue 11: ~1 s cold,
 * 20-40 ms warm): the token counters' rank tables (~250 ms each, used to count prompt and answer
 * tokens of offline and usage-less models), the extractive answerer's and the offline embedder's code
 * paths, and a query through the vector client and engine. Remote providers are never called.
 */
export function askWarmUpSteps(deps: {
  embedder: Embedder;
  models: ModelRegistry;
  vectors: VectorIndex;
}): Step[] {
  const encodings = new Set([
    "cl100k_base" as const,
    ...deps.models.list().map((m) => encodingForModel(m.upstream)),
  ]);
  const steps: Step[] = [...encodings].map((e) => ({ name: `tokenizer_${e}`, run: () => warmEncoding(e) }));
  steps.push({
    name: "extractive_answerer",
    run: () =>
      extractiveAnswer("What does the warm-up load?", [
        {
          n: 1,
          title: "Warm-up",
          text: "The warm-up loads what the first question needs. It runs once at start.",
        },
      ]),
  });
  // Only the offline embedder is local; an API embedder would be a paid call at every start.
  if (deps.embedder.id.startsWith("offline-")) {
    const { embedder, vectors } = deps;
    steps.push({
      name: "embed_and_vector_query",
      run: async () => {
        const q = await embedder.embedQuery("what does the warm-up load");
        await vectors.query(NO_TENANT, {
          scope: { kbIds: [NO_TENANT] },
          mode: "hybrid",
          dense: q.dense,
          sparse: q.sparse,
          limit: 1,
          ...(embedder.fusion ? { fusion: embedder.fusion } : {}),
        });
      },
    });
  }
  return steps;
}

/**
 * Runs the steps in the background, one per turn of the event loop, so the server starts listening
 * and answers /healthz and /readyz meanwhile (each step holds the loop for at most ~250 ms). Reported
 * in /metrics as `ask_warmup_complete` and `ask_warmup_step_seconds{step}`.
 */
export function startWarmUp(steps: Step[], opts: { logger: Logger; registry?: Registry }): WarmUp {
  const status = { state: "pending" as WarmUp["state"], steps: {} as Record<string, number> };
  const complete = new Gauge({
    name: "ask_warmup_complete",
    help: "1 once the start-up warm-up of the ask path has run",
    registers: opts.registry ? [opts.registry] : [],
  });
  const stepSeconds = new Gauge({
    name: "ask_warmup_step_seconds",
    help: "How long each warm-up step took at start",
    labelNames: ["step"],
    registers: opts.registry ? [opts.registry] : [],
  });
  const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
  const done = (async () => {
    await nextTurn();
    status.state = "running";
    let failed = false;
    for (const step of steps) {
      const started = performance.now();
      try {
        await step.run();
      } catch (err) {
        failed = true;
        opts.logger.warn({ err, step: step.name }, "warm-up step failed; the first request will load it");
      }
      const ms = performance.now() - started;
      status.steps[step.name] = Math.round(ms);
      stepSeconds.set({ step: step.name }, ms / 1000);
      await nextTurn();
    }
    status.state = failed ? "failed" : "done";
    complete.set(1);
    opts.logger.info({ steps: status.steps }, "ask path warmed");
  })();
  return {
    get state() {
      return status.state;
    },
    steps: status.steps,
    done,
  };
}
