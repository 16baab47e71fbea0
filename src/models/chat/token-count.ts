/**
 * Local token counting with js-tiktoken, used whenever a provider reports no usage (and by offline models).
 * Counts are estimates for non-OpenAI models: their tokenizers differ, but the order of magnitude holds.
 * Rank tables are imported lazily (1-2 MB each) so importing this module stays cheap.
 */
import { Tiktoken } from "js-tiktoken/lite";
import type { ChatMessage } from "../types.js";

export type EncodingName = "cl100k_base" | "o200k_base";

const encoders = new Map<EncodingName, Promise<Tiktoken>>();

/** o200k for OpenAI's 4o / 4.1 / o-series / gpt-5 families, cl100k for everything else. */
export function encodingForModel(model: string): EncodingName {
  const name = model.toLowerCase().split("/").pop() ?? "";
  return /^(gpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|o\d|chatgpt-4o)/.test(name) ? "o200k_base" : "cl100k_base";
}

function encoder(name: EncodingName): Promise<Tiktoken> {
  let enc = encoders.get(name);
  if (!enc) {
    enc =
      name === "o200k_base"
        ? import("js-tiktoken/ranks/o200k_base").then((m) => new Tiktoken(m.default))
        : import("js-tiktoken/ranks/cl100k_base").then((m) => new Tiktoken(m.default));
    encoders.set(name, enc);
  }
  return enc;
}

export async function countTextTokens(text: string, encoding: EncodingName = "cl100k_base"): Promise<number> {
  if (!text) return 0;
  return (await encoder(encoding)).encode(text).length;
}

/**
 * Prompt tokens for a chat request, following OpenAI's published accounting: each message costs its
 * content plus role and 3 framing tokens, and the reply is primed with 3 more.
 */
export async function countChatTokens(
  messages: ChatMessage[],
  encoding: EncodingName = "cl100k_base",
): Promise<number> {
  const enc = await encoder(encoding);
  let total = 3;
  for (const m of messages) total += 3 + enc.encode(m.role).length + enc.encode(m.content).length;
  return total;
}
