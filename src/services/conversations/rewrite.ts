/**
 * Turns the last question of a conversation into one that stands alone, so retrieval finds what a
 * follow-up like "and its currency?" refers to. This offline version needs no model: a follow-up gets
 * the previous user turn's words in front of it. (The conversation-aware rewrite of the support-bots
 * work replaces this file with the same signature; callers depend only on the signature.)
 */
import type { ChatModel } from "../../models/types.js";

export type Turn = { role: "user" | "assistant"; content: string };

/** Keeps retrieval queries inside the 4,000-character question limit. */
const MAX_QUERY_CHARS = 4000;

export async function standaloneQuestion(input: {
  history: Turn[];
  question: string;
  chat?: ChatModel;
  signal?: AbortSignal;
}): Promise<{ query: string; method: "none" | "offline" | "model" }> {
  const previous = [...input.history]
    .reverse()
    .find((t) => t.role === "user")
    ?.content.trim();
  if (!previous) return { query: input.question, method: "none" };
  const query = `${previous}\n${input.question}`;
  return { query: query.length > MAX_QUERY_CHARS ? query.slice(-MAX_QUERY_CHARS) : query, method: "offline" };
}
