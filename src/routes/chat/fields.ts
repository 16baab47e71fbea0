import type { FieldError } from "../../errors.js";

/** A field this door does not implement, and why; a value for which `noop` holds is accepted. */
export type UnsupportedRules = Record<string, { why: string; noop?: (v: unknown) => boolean }>;

/** Fields of OpenAI's chat completion request this door does not implement. */
const UNSUPPORTED: UnsupportedRules = {
  tools: { why: "tool calling is not supported", noop: (v) => Array.isArray(v) && v.length === 0 },
  tool_choice: { why: "tool calling is not supported", noop: (v) => v === "none" },
  parallel_tool_calls: { why: "tool calling is not supported" },
  functions: { why: "function calling is not supported" },
  function_call: { why: "function calling is not supported", noop: (v) => v === "none" },
  n: { why: "only n = 1 is supported", noop: (v) => v === 1 },
  logprobs: { why: "log probabilities are not available", noop: (v) => v === false },
  top_logprobs: { why: "log probabilities are not available" },
  logit_bias: { why: "logit_bias is not supported" },
  response_format: {
    why: "only plain text answers are supported",
    noop: (v) => typeof v === "object" && v !== null && (v as { type?: unknown }).type === "text",
  },
  audio: { why: "audio output is not supported" },
  modalities: {
    why: "only text output is supported",
    noop: (v) => Array.isArray(v) && v.length === 1 && v[0] === "text",
  },
  prediction: { why: "predicted outputs are not supported" },
  web_search_options: { why: "web search is not supported; ground answers with knowledge_base_ids" },
  seed: { why: "seeded sampling is not supported" },
  stop: { why: "stop sequences are not supported" },
  top_p: { why: "top_p is not supported; use temperature", noop: (v) => v === 1 },
  frequency_penalty: { why: "frequency_penalty is not supported", noop: (v) => v === 0 },
  presence_penalty: { why: "presence_penalty is not supported", noop: (v) => v === 0 },
  reasoning_effort: { why: "reasoning_effort is not supported" },
  service_tier: { why: "service tiers do not apply here", noop: (v) => v === "auto" || v === "default" },
  verbosity: { why: "verbosity is not supported" },
  prompt_cache_key: { why: "prompt caching keys are not supported" },
  safety_identifier: { why: "safety_identifier is not supported" },
};

/**
 * The fields of a body this door cannot honour, each named with the reason: silently ignoring a
 * `tools` array would give a developer an answer that looks right and is not. Nulls count as absent.
 */
export function unsupportedFields(
  body: unknown,
  known: readonly string[],
  rules: UnsupportedRules = UNSUPPORTED,
): FieldError[] {
  if (typeof body !== "object" || body === null || Array.isArray(body)) return [];
  const errors: FieldError[] = [];
  for (const [field, value] of Object.entries(body)) {
    if (value === null || value === undefined) continue;
    const rule = rules[field];
    if (rule) {
      if (!rule.noop?.(value)) errors.push({ field, message: rule.why });
    } else if (!known.includes(field)) errors.push({ field, message: "unknown field" });
  }
  return errors;
}

/** Message roles and parts other than text are unsupported; named per message. */
export function unsupportedMessageParts(body: unknown): FieldError[] {
  const messages = (body as { messages?: unknown })?.messages;
  if (!Array.isArray(messages)) return [];
  const errors: FieldError[] = [];
  messages.forEach((m, i) => {
    const role = (m as { role?: unknown })?.role;
    if (role === "tool" || role === "function") {
      errors.push({ field: `messages.${i}.role`, message: `${role} messages are not supported` });
    }
    for (const k of ["tool_calls", "function_call", "audio"]) {
      if ((m as Record<string, unknown>)?.[k] != null)
        errors.push({ field: `messages.${i}.${k}`, message: `${k} is not supported` });
    }
    const content = (m as { content?: unknown })?.content;
    if (Array.isArray(content)) {
      content.forEach((part, j) => {
        const type = (part as { type?: unknown })?.type;
        if (type !== "text")
          errors.push({
            field: `messages.${i}.content.${j}`,
            message: `content parts of type ${String(type)} are not supported; send text`,
          });
      });
    }
  });
  return errors;
}
