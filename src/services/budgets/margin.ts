/**
 * How many prompt tokens a reservation holds for a prompt the local tokenizer (js-tiktoken) counted.
 * Providers count with their own tokenizers and chat templates, so the local count can be short; the
 * reservation adds a relative margin and a fixed one for chat-template framing.
 *
 * Measured, not chosen: `npm run bench:tokens` (test/bench/tokens.ts; results in
 * test/bench/results/tokens.md and tokens.json, run 2026-11-30 on 2 vCPU, Node 22.23) counted 270 answer
 * prompts built as /v1/ask builds them (English, Simplified and Traditional Chinese, code/markup from
 * fixtures/ and the evaluation passages; plus short chats) with this counter and with the real tokenizers
 * and chat templates of Qwen 2.5/3, DeepSeek V3, Llama 3.1/3.3, Gemma 3, Mistral Tekken, Mistral 7B /
 * Mixtral (SentencePiece) and gpt-oss. Rule: PROMPT_MARGIN_TOKENS = the largest excess of a family's chat
 * framing over the local framing (gpt-oss' Harmony system message, +65), rounded up to a multiple of 8;
 * PROMPT_MARGIN_RATIO = the largest (real − PROMPT_MARGIN_TOKENS) / local − 1 over every prompt, family
 * and language (0.286: Mixtral's 32k SentencePiece on code; English peaks at 1.22× local there, Chinese
 * stays under 1.09×), rounded up to the next 0.05. With them every one of the 1,890 measured counts is
 * covered (smallest reserved/real 1.011); the earlier chosen ×1.25 + 32 under-reserved 52 (all 30 short
 * chats in gpt-oss' framing, 22 code prompts in Mixtral's). test/unit/budget-margin.test.ts re-checks a
 * sample of fixture prompts against the same tokenizers.
 * Models whose tokenizers are not published (Claude, Gemini) are not measured.
 * Whatever a provider still reports beyond the reservation is recorded per call
 * (usage_ledger.over_reservation_micros), so overshoot is visible, never silent.
 */
export const PROMPT_MARGIN_RATIO = 0.3;
export const PROMPT_MARGIN_TOKENS = 72;

export function reservedPromptTokens(localCount: number): number {
  return Math.ceil(localCount * (1 + PROMPT_MARGIN_RATIO)) + PROMPT_MARGIN_TOKENS;
}
