/**
 * A ChatModel for any OpenAI-compatible /chat/completions endpoint (OpenAI, DeepSeek, DashScope, Moonshot,
 * GLM, Groq, OpenRouter, vLLM, Ollama...), through @langchain/openai.
 *
 * Uses ChatOpenAICompletions, the Chat Completions half of ChatOpenAI with the same options: ChatOpenAI
 * silently switches some model names (e.g. "*codex*") to the Responses API, which compatible providers
 * do not serve. Retries are off: the caller decides between retrying and falling back to another model.
 */
import { AIMessage, type BaseMessage, HumanMessage, SystemMessage } from "@langchain/core/messages";
import { ChatOpenAICompletions, type ChatOpenAICompletionsCallOptions } from "@langchain/openai";
import { providerFetch } from "../provider-fetch.js";
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

interface PerCallOptions extends ChatOpenAICompletionsCallOptions {
  maxTokens?: number;
  temperature?: number;
}

/**
 * LangChain keeps max_tokens and temperature on the instance, which would mean a new client (and a new
 * OpenAI SDK object graph, ~6 KB) per call. Taking them per call lets every call of a model share one.
 */
class PerCallChatOpenAI extends ChatOpenAICompletions<PerCallOptions> {
  override invocationParams(options?: this["ParsedCallOptions"], extra?: { streaming?: boolean }) {
    const params = super.invocationParams(options, extra);
    if (options?.maxTokens !== undefined) {
      // The parent picks the field by model family (max_completion_tokens for reasoning models).
      if ("max_completion_tokens" in params) params.max_completion_tokens = options.maxTokens;
      else params.max_tokens = options.maxTokens;
    }
    if (options?.temperature !== undefined) params.temperature = options.temperature;
    return params;
  }
}

function toLangChain(m: ChatMessage): BaseMessage {
  if (m.role === "system") return new SystemMessage(m.content);
  return m.role === "user" ? new HumanMessage(m.content) : new AIMessage(m.content);
}

export function createOpenAICompatibleChat(opts: OpenAICompatibleChatOptions): ChatModel {
  const encoding = encodingForModel(opts.model);
  const client = new PerCallChatOpenAI({
    model: opts.model,
    apiKey: opts.apiKey,
    configuration: { baseURL: opts.baseURL, fetch: providerFetch() },
    streaming: true,
    streamUsage: true,
    maxRetries: 0,
    ...(opts.timeoutMs !== undefined ? { timeout: opts.timeoutMs } : {}),
  });

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
      // _streamIterator is what stream() wraps in a ReadableStream and an async-context scope; iterating
      // it directly keeps ~15 KB less per open call, which matters with thousands of streams open.
      const chunks = client._streamIterator(messages.map(toLangChain), {
        ...(signal ? { signal } : {}),
        ...(callOpts.maxTokens !== undefined ? { maxTokens: callOpts.maxTokens } : {}),
        ...(callOpts.temperature !== undefined ? { temperature: callOpts.temperature } : {}),
      });
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
