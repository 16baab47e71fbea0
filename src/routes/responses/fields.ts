import type { FieldError } from "../../errors.js";
import type { UnsupportedRules } from "../chat/fields.js";

/** Fields of OpenAI's Responses request this door does not implement, and why. */
export const RESPONSES_UNSUPPORTED: UnsupportedRules = {
  previous_response_id: {
    why: "responses are not stored; send the earlier turns in `input` (e.g. [...previous.output, nextMessage])",
  },
  store: {
    why: "responses are not stored (nothing to retrieve later); omit store or send false",
    noop: (v) => v === false,
  },
  conversation: { why: "OpenAI conversations are not stored; send the earlier turns in `input`" },
  background: { why: "background responses are not supported", noop: (v) => v === false },
  prompt: { why: "stored prompts are not supported; use `instructions`" },
  reasoning: { why: "reasoning options are not supported" },
  text: {
    why: "only plain text output is supported",
    noop: (v) => {
      const format = (v as { format?: { type?: unknown } } | null)?.format;
      return format === undefined || format?.type === "text";
    },
  },
  top_p: { why: "top_p is not supported; use temperature", noop: (v) => v === 1 },
  top_logprobs: { why: "log probabilities are not available", noop: (v) => v === 0 },
  max_tool_calls: { why: "file_search runs once per response" },
  truncation: { why: "truncation is not supported", noop: (v) => v === "disabled" },
  service_tier: { why: "service tiers do not apply here", noop: (v) => v === "auto" || v === "default" },
  prompt_cache_key: { why: "prompt caching keys are not supported" },
  prompt_cache_retention: { why: "prompt caching is not supported" },
  safety_identifier: { why: "safety_identifier is not supported" },
  stream_options: { why: "stream options are not supported" },
  context_management: { why: "context management is not supported" },
};

/**
 * Input items, content parts and tools other than messages, text and file_search, named with their
 * position: a silently dropped image or function tool would give an answer that looks right and is not.
 */
export function unsupportedItems(body: unknown): FieldError[] {
  const errors: FieldError[] = [];
  const b = body as { input?: unknown; tools?: unknown; include?: unknown } | null;
  if (Array.isArray(b?.input)) {
    b.input.forEach((item, i) => {
      const type = (item as { type?: unknown })?.type ?? "message";
      if (type !== "message" && type !== "file_search_call") {
        errors.push({
          field: `input.${i}.type`,
          message: `input items of type ${String(type)} are not supported`,
        });
      }
      const content = (item as { content?: unknown })?.content;
      if (!Array.isArray(content)) return;
      content.forEach((part, j) => {
        const t = (part as { type?: unknown })?.type;
        if (t !== "input_text" && t !== "output_text") {
          errors.push({
            field: `input.${i}.content.${j}`,
            message: `content parts of type ${String(t)} are not supported; send input_text`,
          });
        }
      });
    });
  }
  if (Array.isArray(b?.tools)) {
    b.tools.forEach((tool, i) => {
      const t = (tool as { type?: unknown })?.type;
      if (t !== "file_search") {
        errors.push({
          field: `tools.${i}.type`,
          message: `tools of type ${String(t)} are not supported; use file_search`,
        });
      }
    });
  }
  if (Array.isArray(b?.include)) {
    b.include.forEach((v, i) => {
      if (v !== "file_search_call.results")
        errors.push({ field: `include.${i}`, message: `${String(v)} is not available` });
    });
  }
  return errors;
}
