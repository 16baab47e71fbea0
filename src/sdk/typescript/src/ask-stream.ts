import { AiHubConnectionError } from "./errors.js";
import { readEvents } from "./sse.js";
import type { AskDone, AskError, AskEvent, AskSource, AskUsage } from "./types.js";

export interface Answer {
  model: string;
  text: string;
  usage: AskUsage | null;
  error: AskError | null;
  /** Source numbers the answer cites ([n]); each is in `sources`. */
  citations: number[];
  answerable: boolean;
}

export interface FinalAnswers {
  sources: AskSource[];
  answers: Answer[];
  done: AskDone;
  /** The sources the answers cite, with their pages, in number order. */
  cited: AskSource[];
}

/**
 * A streamed answer: iterate it for typed events (sources, delta, usage, error, done), or call
 * `finalAnswers()` to wait for the whole thing. One consumer; breaking out of the loop cancels the
 * request, which stops the models (and their billing) server-side.
 */
export class AskStream implements AsyncIterable<AskEvent> {
  /** The stored answer's id, for conversation messages (x-message-id); null for /v1/ask. */
  readonly messageId: string | null;
  private readonly response: Response;
  private consumed = false;

  constructor(response: Response) {
    this.response = response;
    this.messageId = response.headers.get("x-message-id");
  }

  async *[Symbol.asyncIterator](): AsyncIterator<AskEvent> {
    if (this.consumed) throw new Error("This answer stream was already read; ask again for another.");
    this.consumed = true;
    if (!this.response.body) throw new AiHubConnectionError("The answer stream has no body.");
    let sawDone = false;
    for await (const e of readEvents(this.response.body)) {
      if (e.event === "done") sawDone = true;
      yield { type: e.event, data: e.data } as AskEvent;
    }
    if (!sawDone) throw new AiHubConnectionError("The answer stream ended before its done event.");
  }

  /** The text as it arrives, for the first (or only) model. */
  async *textStream(): AsyncGenerator<string> {
    let first: string | undefined;
    for await (const e of this) {
      if (e.type !== "delta") continue;
      first ??= e.data.model;
      if (e.data.model === first) yield e.data.text;
    }
  }

  /** Reads the stream to its end and folds it into one answer per model. */
  async finalAnswers(): Promise<FinalAnswers> {
    let sources: AskSource[] = [];
    let done: AskDone | undefined;
    const text = new Map<string, string>();
    const usage = new Map<string, AskUsage>();
    const errors = new Map<string, AskError>();
    for await (const e of this) {
      if (e.type === "sources") sources = e.data.sources;
      else if (e.type === "delta") text.set(e.data.model, (text.get(e.data.model) ?? "") + e.data.text);
      else if (e.type === "usage") usage.set(e.data.model, e.data);
      else if (e.type === "error") errors.set(e.data.model, e.data);
      else done = e.data;
    }
    if (!done) throw new AiHubConnectionError("The answer stream ended before its done event.");
    const answers = done.models.map((m) => ({
      model: m.model,
      text: text.get(m.model) ?? "",
      usage: usage.get(m.model) ?? null,
      error: errors.get(m.model) ?? null,
      citations: m.citations,
      answerable: m.answerable,
    }));
    const citedNumbers = new Set(answers.flatMap((a) => a.citations));
    return { sources, answers, done, cited: sources.filter((s) => citedNumbers.has(s.n)) };
  }
}
