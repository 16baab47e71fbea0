import type { AskEvent, AskSource, DoneData, ErrorData, ModelSummary, UsageData } from "./events.js";

export interface CollectedAnswer {
  model: string;
  status: ModelSummary["status"];
  text: string;
  usage: UsageData | null;
  error: ErrorData | null;
  citations: number[];
  unknown_citations: number[];
  answerable: boolean;
}

export interface CollectedAsk {
  sources: AskSource[];
  answers: CollectedAnswer[];
  done: DoneData;
}

/** Folds the event stream into the `stream: false` response: the same content, one JSON document. */
export async function collectAsk(events: AsyncIterable<AskEvent>): Promise<CollectedAsk> {
  let sources: AskSource[] = [];
  let done: DoneData | undefined;
  const text = new Map<string, string>();
  const usage = new Map<string, UsageData>();
  const errors = new Map<string, ErrorData>();
  for await (const e of events) {
    if (e.type === "sources") sources = e.data.sources;
    else if (e.type === "delta") text.set(e.data.model, (text.get(e.data.model) ?? "") + e.data.text);
    else if (e.type === "usage") usage.set(e.data.model, e.data);
    else if (e.type === "error") errors.set(e.data.model, e.data);
    else done = e.data;
  }
  if (!done) throw new Error("the ask ended without a done event");
  const answers = done.models.map((m) => ({
    model: m.model,
    status: m.status,
    text: m.postprocessed_text ?? text.get(m.model) ?? "",
    usage: usage.get(m.model) ?? null,
    error: errors.get(m.model) ?? null,
    citations: m.citations,
    unknown_citations: m.unknown_citations,
    answerable: m.answerable,
  }));
  return { sources, answers, done };
}
