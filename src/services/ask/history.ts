import { countChatTokens, countTextTokens, encodingForModel } from "../../models/chat/token-count.js";
import type { ModelInfo } from "../../models/registry.js";
import type { ChatMessage } from "../../models/types.js";

/** Models without a known context window (the offline extractive one) get this much room. */
export const DEFAULT_CONTEXT_WINDOW = 8192;
/** Per-message framing tokens (role and separators) in chat formats. */
const MESSAGE_OVERHEAD = 4;

/**
 * Puts earlier turns between the system prompt and the current question, keeping the newest turns that
 * fit every model's context window next to the prompt and the output cap. Older turns drop first; a
 * turn is never cut in half (half a sentence misleads more than none).
 */
export async function withHistory(
  messages: ChatMessage[],
  history: ChatMessage[] | undefined,
  models: { info: ModelInfo; maxTokens: number }[],
): Promise<{ messages: ChatMessage[]; keptTurns: number }> {
  if (!history?.length) return { messages, keptTurns: 0 };
  let room = Number.POSITIVE_INFINITY;
  let encoding = encodingForModel(models[0]?.info.upstream ?? "");
  for (const m of models) {
    const e = encodingForModel(m.info.upstream);
    const prompt = await countChatTokens(messages, e);
    const left = (m.info.contextWindow ?? DEFAULT_CONTEXT_WINDOW) - m.maxTokens - prompt;
    if (left < room) {
      room = left;
      encoding = e;
    }
  }
  const kept: ChatMessage[] = [];
  for (let i = history.length - 1; i >= 0; i--) {
    const turn = history[i]!;
    const cost = (await countTextTokens(turn.content, encoding)) + MESSAGE_OVERHEAD;
    if (cost > room) break;
    room -= cost;
    kept.unshift(turn);
  }
  // A conversation shown to the model should start with the user, not with an orphaned answer.
  while (kept[0]?.role === "assistant") kept.shift();
  const [system, ...rest] = messages;
  const out = system?.role === "system" ? [system, ...kept, ...rest] : [...kept, ...messages];
  return { messages: out, keptTurns: kept.length };
}
