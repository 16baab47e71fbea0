/**
 * The offline `extractive` ChatModel: answers from the sources of the question without calling any
 * provider. It reads them as data from the last user message's `grounding` (set by renderPrompt in
 * prompts/), quotes the best-matching sentences and streams them in small deltas. A message without
 * grounding is a question with no sources. Usage is counted with js-tiktoken and marked estimated;
 * it costs nothing.
 */
import { ChatError } from "../chat/errors.js";
import { countChatTokens, countTextTokens } from "../chat/token-count.js";
import type { ChatEvent, ChatMessage, ChatModel, ChatUsage } from "../types.js";
import { extractiveAnswer } from "./answer.js";

export { extractiveAnswer } from "./answer.js";

export const EXTRACTIVE_MODEL_ID = "extractive";

/** Small pieces (at most 12 characters of text each), so clients see it stream like a model. */
function deltas(text: string): string[] {
  return text.match(/\s*\S{1,12}/gu) ?? [];
}

export function answerFromMessages(messages: ChatMessage[]): string {
  const user = [...messages].reverse().find((m) => m.role === "user");
  const grounding = user?.grounding;
  const question = grounding?.question.trim() || (user?.content ?? "");
  return extractiveAnswer(question, grounding?.sources ?? []);
}

export function createExtractiveModel(): ChatModel {
  async function usage(messages: ChatMessage[], output: string): Promise<ChatUsage> {
    return {
      inputTokens: await countChatTokens(messages),
      outputTokens: await countTextTokens(output),
      cachedInputTokens: 0,
      source: "estimated",
    };
  }

  async function* stream(
    messages: ChatMessage[],
    opts: { maxTokens?: number; signal?: AbortSignal },
  ): AsyncGenerator<ChatEvent> {
    const answer = answerFromMessages(messages);
    let sent = "";
    for (const piece of deltas(answer)) {
      if (opts.signal?.aborted) {
        throw new ChatError({
          code: "aborted",
          message: "extractive: the request was aborted by the caller",
          beforeFirstToken: sent === "",
          usage: await usage(messages, sent),
        });
      }
      sent += piece;
      yield { type: "delta", text: piece };
    }
    yield { type: "usage", usage: await usage(messages, sent) };
  }

  return { id: EXTRACTIVE_MODEL_ID, stream };
}
