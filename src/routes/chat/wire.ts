/**
 * The ask's events in OpenAI's chat completion shapes: chunks for streams, one object otherwise.
 * Citations travel as an extension (`citations`) that OpenAI's SDKs pass through untouched.
 */
import type { z } from "@hono/zod-openapi";
import type { AskEvent, AskSource, UsageData } from "../../services/ask/events.js";
import { citedNumbers } from "../../services/ask/sources.js";
import type { ChatCompletion, Citation, CompletionUsage } from "./schema.js";

export type ChatCitation = z.infer<typeof Citation>;
export type ChatCompletionResult = z.infer<typeof ChatCompletion>;

export interface CompletionMeta {
  id: string;
  created: number;
  model: string;
}

export function toCitations(sources: AskSource[], answer: string): ChatCitation[] {
  const cited = new Set(citedNumbers(answer));
  return sources.map((s) => ({
    index: s.n,
    cited: cited.has(s.n),
    document_id: s.document_id,
    document_version_id: s.document_version_id,
    knowledge_base_id: s.knowledge_base_id,
    title: s.title,
    page_start: s.page_start,
    page_end: s.page_end,
    chunk_id: s.chunk_id,
    score: s.score,
    text: s.text,
  }));
}

export function toUsage(u: UsageData | null): z.infer<typeof CompletionUsage> {
  const input = u?.input_tokens ?? 0;
  const output = u?.output_tokens ?? 0;
  return {
    prompt_tokens: input,
    completion_tokens: output,
    total_tokens: input + output,
    prompt_tokens_details: { cached_tokens: u?.cached_input_tokens ?? 0 },
    cost_micros: u?.cost_micros ?? 0,
    usage_source: u?.usage_source ?? "estimated",
  };
}

const encoder = new TextEncoder();
const data = (o: unknown) => `data: ${JSON.stringify(o)}\n\n`;

/**
 * A stateful framer for one streamed completion: it remembers the sources and the answer so far, so
 * the last chunk can say which sources the answer cited. One model per completion (n = 1).
 */
export function chunkFramer(meta: CompletionMeta, includeUsage: boolean) {
  let sources: AskSource[] = [];
  let answer = "";
  let usage: UsageData | null = null;
  let failed = false;
  const chunk = (delta: object, finish: string | null, extra: object = {}) =>
    data({
      id: meta.id,
      object: "chat.completion.chunk",
      created: meta.created,
      model: meta.model,
      choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }],
      ...extra,
    });
  return (e: AskEvent): Uint8Array | null => {
    switch (e.type) {
      case "sources":
        sources = e.data.sources;
        return encoder.encode(chunk({ role: "assistant", content: "", refusal: null }, null));
      case "delta":
        answer += e.data.text;
        return encoder.encode(chunk({ content: e.data.text }, null));
      case "usage":
        usage = e.data;
        return null;
      case "error":
        // OpenAI's SDKs raise an APIError when a stream carries an `error` object.
        failed = true;
        return encoder.encode(
          data({
            error: { message: e.data.message, type: "upstream_error", code: e.data.code, param: null },
          }),
        );
      case "done": {
        if (failed) return encoder.encode("data: [DONE]\n\n");
        let out = chunk({}, "stop", { citations: toCitations(sources, answer) });
        if (includeUsage) {
          out += data({
            id: meta.id,
            object: "chat.completion.chunk",
            created: meta.created,
            model: meta.model,
            choices: [],
            usage: toUsage(usage),
          });
        }
        return encoder.encode(`${out}data: [DONE]\n\n`);
      }
    }
  };
}

/** The non-streamed completion, from the collected ask. */
export function toCompletion(
  meta: CompletionMeta,
  sources: AskSource[],
  answer: string,
  usage: UsageData | null,
): ChatCompletionResult {
  const citations = toCitations(sources, answer);
  return {
    id: meta.id,
    object: "chat.completion",
    created: meta.created,
    model: meta.model,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: answer, refusal: null, citations },
        finish_reason: "stop",
        logprobs: null,
      },
    ],
    usage: toUsage(usage),
    citations,
  };
}
