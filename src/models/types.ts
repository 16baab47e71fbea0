import type { FusionParams, SparseVector } from "../vector/types.js";

/** Turns text into the dense and sparse vectors the index stores. */
export interface Embedder {
  /** Stable id naming the model and its settings; the vector collection is named after it. */
  readonly id: string;
  readonly dimension: number;
  /** Hybrid fusion tuned for this embedder's vectors (see test/eval/tune); Qdrant's default if absent. */
  readonly fusion?: FusionParams;
  /** The text embedded for a chunk of a document with this title (the embedder's text policy). */
  indexText(title: string, text: string): string;
  embedDocuments(texts: string[], opts?: { signal?: AbortSignal }): Promise<EmbedResult>;
  embedQuery(text: string, opts?: { signal?: AbortSignal }): Promise<QueryEmbedding>;
}

export interface EmbedResult {
  dense: number[][];
  sparse: SparseVector[];
  /** Tokens billed by the provider (0 for offline embedders). */
  tokens: number;
  costMicros: number;
}

export interface QueryEmbedding {
  dense: number[];
  sparse: SparseVector;
  tokens: number;
  costMicros: number;
}

/** One numbered passage a grounded question may cite as [n]. */
export interface GroundingSource {
  n: number;
  title: string;
  text: string;
}

/** The question and sources a rendered prompt shows, as data (prompts/ renderPrompt sets it). */
export interface Grounding {
  question: string;
  sources: GroundingSource[];
}

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
  /**
   * On a rendered question: what `content` shows, as data. Providers receive only role and content;
   * the offline extractive model answers from this instead of reading the text back.
   */
  grounding?: Grounding;
}

export interface ChatUsage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  /** "provider" when the upstream reported usage, "estimated" when counted locally with js-tiktoken. */
  source: "provider" | "estimated";
}

export type ChatEvent = { type: "delta"; text: string } | { type: "usage"; usage: ChatUsage };

/** One chat-capable model. stream() yields deltas then exactly one usage event, even when aborted or failed (usage is then attached to the thrown ChatError). */
export interface ChatModel {
  readonly id: string;
  stream(
    messages: ChatMessage[],
    opts: { maxTokens?: number; temperature?: number; signal?: AbortSignal },
  ): AsyncIterable<ChatEvent>;
}
