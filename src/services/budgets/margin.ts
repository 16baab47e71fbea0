/**
 * How many prompt tokens a reservation holds for a prompt the local tokenizer (js-tiktoken) counted.
 * Providers count with their own tokenizers and chat templates, so the local count can be short; the
 * reservation adds a relative margin and a fixed one for chat-template framing. The numbers are a
 * choice, not yet a measurement against live providers (see the README's budgets paragraph).
 * Whatever a provider still reports beyond the reservation is recorded per call
 * (usage_ledger.over_reservation_micros), so overshoot is visible, never silent.
 */
export const PROMPT_MARGIN_RATIO = 0.25;
export const PROMPT_MARGIN_TOKENS = 32;

export function reservedPromptTokens(localCount: number): number {
  return Math.ceil(localCount * (1 + PROMPT_MARGIN_RATIO)) + PROMPT_MARGIN_TOKENS;
}
