/**
 * A ChatModel for any OpenAI-compatible /chat/completions endpoint (OpenAI, DeepSeek, DashScope, Moonshot,
 * GLM, Groq, OpenRouter, vLLM, Ollama...), through @langchain/openai.
 *
 * Uses ChatOpenAICompletions, the Chat Completions half of ChatOpenAI with the same options: ChatOpenAI
 * silently switches some model names (e.g. "*codex*") to the Responses API, which compatible providers
 * do not serve. Retries are off: the caller decides between retrying and falling back to another model.
 */
import { ChatOpenAICompletions } from "@langchain/openai";
import type { ChatEvent, ChatMessage, ChatModel, ChatUsage } from "../types.js";
import { ChatError } from "./errors.js";
import { classifyProviderError } from "./provider-error.js";
import { countChatTokens, countTextTokens, encodingForModel } from "./token-count.js";

export interface OpenAICompatibleChatOptions {
  /** Our id for the model (what API callers name). */
  id: string;
  baseURL: string;
  apiKey: string;
  /** The model name the provider expects. */
  model: string;
  /** Informational (the registry reports it); trimming the prompt to fit is the caller's job. */
  contextWindow?: number;
  /** Whole-request timeout passed to the OpenAI client. */
  timeoutMs?: number;
}

interface UsageMetadata {
  input_tokens?: number;
  output_tokens?: number;
  input_token_details?: { cache_read?: number };
}

export function createOpenAICompatibleChat(opts: OpenAICompatibleChatOptions): ChatModel {
  const encoding = encodingForModel(opts.model);

  function client(maxTokens?: number, temperature?: number) {
    // One client per call: maxTokens/temperature are constructor fields in LangChain, not call options.
    return new ChatOpenAICompletions({
      model: opts.model,
      apiKey: opts.apiKey,
      configuration: { baseURL: opts.baseURL },
      streaming: true,
      streamUsage: true,
      maxRetries: 0,
      ...(maxTokens !== undefined ? { maxTokens } : {}),
      ...(temperature !== undefined ? { temperature } : {}),
      ...(opts.timeoutMs !== undefined ? { timeout: opts.timeoutMs } : {}),
    });
  }

  async function estimate(messages: ChatMessage[], output: string): Promise<ChatUsage> {
    return {
      inputTokens: await countChatTokens(messages, encoding),
      outputTokens: await countTextTokens(output, encoding),
      cachedInputTokens: 0,
      source: "estimated",
    };
  }

  async function* stream(
    messages: ChatMessage[],
    callOpts: { maxTokens?: number; temperature?: number; signal?: AbortSignal },
  ): AsyncGenerator<ChatEvent> {
    const { signal } = callOpts;
    let output = "";
    let providerUsage: UsageMetadata | undefined;
    try {
      signal?.throwIfAborted();
      const chunks = await client(callOpts.maxTokens, callOpts.temperature).stream(
        messages.map((m) => ({ role: m.role, content: m.content })),
        signal ? { signal } : {},
      );
      for await (const chunk of chunks) {
        if (chunk.usage_metadata) providerUsage = chunk.usage_metadata;
        const text = typeof chunk.content === "string" ? chunk.content : "";
        if (text) {
          output += text;
          yield { type: "delta", text };
        }
      }
      // LangChain ends the stream quietly when the signal fires between chunks; that is still an abort.
      signal?.throwIfAborted();
    } catch (e) {
      const c = classifyProviderError(e, signal);
      throw new ChatError({
        ...c,
        message: `${opts.id}: ${c.message}`,
        beforeFirstToken: output === "",
        usage: await estimate(messages, output),
        cause: e,
      });
    }
    if (providerUsage?.input_tokens !== undefined && providerUsage.output_tokens !== undefined) {
      yield {
        type: "usage",
        usage: {
          inputTokens: providerUsage.input_tokens,
          outputTokens: providerUsage.output_tokens,
          cachedInputTokens: providerUsage.input_token_details?.cache_read ?? 0,
          source: "provider",
        },
      };
    } else {
      yield { type: "usage", usage: await estimate(messages, output) };
    }
  }

  return { id: opts.id, stream };
}
