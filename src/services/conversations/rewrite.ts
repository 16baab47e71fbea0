/**
 * Turns a follow-up ("and how long does it take?") into a question retrieval can answer on its own
 * ("how long does resetting the router take?"). Retrieval sees one query, not the conversation, so a
 * follow-up that leans on earlier turns would otherwise search for "it".
 *
 * With a chat model the model rewrites; without one (or when it fails) an offline method carries the
 * content words of the previous question over. Questions that already stand alone are left as typed.
 */
import type { ChatModel } from "../../models/types.js";

export type Turn = { role: "user" | "assistant"; content: string };

const MAX_QUERY_CHARS = 1000;

/** Words that point back at earlier turns, or openings that continue one. */
const FOLLOW_UP_EN =
  /^(and|but|also|so|then|what about|how about|why|and if|or)\b|\b(it|its|it's|that|this|these|those|they|them|their|there|he|she|him|her|one|ones|same|above|former|latter)\b/i;
const FOLLOW_UP_ZH = /^(那|还有|那么|而且|另外|以及|并且)|它|它们|这个|那个|这些|那些|其|他们|她们|上述|同样/;

const STOP = new Set(
  "a an the and or but if then so also what which who whom whose when where why how is are was were be been being do does did done doing have has had having can could should would will shall may might must i me my we our you your it its it's this that these those they them their there here of in on at to for from by with about as into over under than too very just not no yes please tell me know want need get got make made take takes took long much many some any all each more most other such only own same".split(
    " ",
  ),
);

/** True when the question probably leans on earlier turns. */
export function needsRewrite(question: string): boolean {
  const q = question.trim();
  if (FOLLOW_UP_EN.test(q) || FOLLOW_UP_ZH.test(q)) return true;
  const words = q.split(/\s+/).filter(Boolean);
  const hasHan = /\p{Script=Han}/u.test(q);
  // "Pricing?" or "价格呢" name a topic but not what it belongs to.
  return hasHan ? [...q.replace(/\s/g, "")].length <= 4 || /呢[？?]?$/.test(q) : words.length <= 2;
}

function contentTerms(text: string): string[] {
  const out: string[] = [];
  for (const w of text.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}'-]*/gu) ?? []) {
    if (/\p{Script=Han}/u.test(w)) out.push(w);
    else if (w.length > 1 && !STOP.has(w)) out.push(w);
  }
  return out;
}

/** Offline: the question plus the content words of the latest earlier user turn it does not repeat. */
export function offlineRewrite(history: Turn[], question: string): string {
  const previous = [...history].reverse().find((t) => t.role === "user");
  if (!previous) return question;
  const have = new Set(contentTerms(question));
  const carried = [...new Set(contentTerms(previous.content))].filter((w) => !have.has(w));
  return carried.length ? `${question} ${carried.join(" ")}`.slice(0, MAX_QUERY_CHARS) : question;
}

const INSTRUCTION =
  "Rewrite the user's last question as one standalone question that can be understood without the conversation. " +
  "Keep its language. Resolve pronouns and references using the conversation. Do not answer it. " +
  "Reply with the rewritten question only.";

/** The last few turns are enough to resolve a reference; older ones only cost tokens. */
const MODEL_TURNS = 6;

async function modelRewrite(
  chat: ChatModel,
  history: Turn[],
  question: string,
  signal?: AbortSignal,
): Promise<string> {
  const transcript = history
    .slice(-MODEL_TURNS)
    .map((t) => `${t.role === "user" ? "User" : "Assistant"}: ${t.content.slice(0, 1500)}`)
    .join("\n");
  let text = "";
  const stream = chat.stream(
    [
      { role: "system", content: INSTRUCTION },
      { role: "user", content: `Conversation:\n${transcript}\n\nLast question: ${question}` },
    ],
    { maxTokens: 128, temperature: 0, ...(signal ? { signal } : {}) },
  );
  for await (const ev of stream) if (ev.type === "delta") text += ev.text;
  return text
    .trim()
    .replace(/^["'“「]|["'”」]$/g, "")
    .slice(0, MAX_QUERY_CHARS);
}

/**
 * The query retrieval should use for `question`, given the earlier turns (oldest first, excluding the
 * question). "none": the question is used as typed (no history, or it stands alone).
 */
export async function standaloneQuestion(input: {
  history: Turn[];
  question: string;
  chat?: ChatModel;
  signal?: AbortSignal;
}): Promise<{ query: string; method: "none" | "offline" | "model" }> {
  const { history, question } = input;
  if (!history.some((t) => t.role === "user") || !needsRewrite(question)) {
    return { query: question, method: "none" };
  }
  if (input.chat) {
    try {
      const query = await modelRewrite(input.chat, history, question, input.signal);
      if (query) return { query, method: "model" };
    } catch (err) {
      // A client that left is not a reason to search; anything else falls back to the offline method.
      if (input.signal?.aborted) throw err;
    }
  }
  return { query: offlineRewrite(history, question), method: "offline" };
}
