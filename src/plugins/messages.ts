import { z } from "zod";
import type { PluginKind } from "./manifest.js";

/**
 * What each kind of plugin receives and returns. The host validates a plugin's answer against these
 * before using it, so a plugin that answers nonsense fails its own call (plugin_bad_output) instead of
 * passing bad data into ingestion or an answer.
 */
const Page = z.object({ page: z.number().int().min(1), text: z.string() });

export const LoaderInput = z.object({
  /** The file, base64 (structured clone of bytes would also work; base64 keeps the channel JSON). */
  bytes: z.string(),
  mediaType: z.string(),
  filename: z.string(),
});
export const LoaderOutput = z.object({ pages: z.array(Page), title: z.string().optional() });

export const TextFilterInput = z.object({ pages: z.array(Page), knowledgeBaseId: z.string().optional() });
export const TextFilterOutput = z.object({
  pages: z.array(Page),
  /** What was changed, by category (e.g. { email: 3 }): reported, never the values. */
  counts: z.record(z.string(), z.number().int().min(0)).default({}),
});

export const QueryExpanderInput = z.object({ query: z.string() });
export const QueryExpanderOutput = z.object({ query: z.string() });

const Chunk = z.object({ id: z.string(), text: z.string(), score: z.number() });
export const RerankerInput = z.object({ query: z.string(), chunks: z.array(Chunk) });
/** One score per input chunk, same order; the host sorts. */
export const RerankerOutput = z.object({ scores: z.array(z.number()) });

const Citation = z.object({ n: z.number().int(), documentId: z.string(), title: z.string().optional() });
export const PostprocessorInput = z.object({
  question: z.string(),
  answer: z.string(),
  citations: z.array(Citation),
  model: z.string().optional(),
});
export const PostprocessorOutput = z.object({ answer: z.string() });

export const ChatProviderInput = z.object({
  messages: z.array(z.object({ role: z.enum(["system", "user", "assistant"]), content: z.string() })),
  model: z.string().optional(),
  maxTokens: z.number().int().positive().optional(),
});
export const ChatProviderOutput = z.object({
  text: z.string(),
  inputTokens: z.number().int().min(0).default(0),
  outputTokens: z.number().int().min(0).default(0),
});

export const EmbedderInput = z.object({ texts: z.array(z.string()) });
export const EmbedderOutput = z.object({ vectors: z.array(z.array(z.number())) });

/** A connector lists items (id + version stamp), then fetches the changed ones. */
export const ConnectorListInput = z.object({ cursor: z.string().nullable().default(null) });
export const ConnectorListOutput = z.object({
  items: z.array(z.object({ id: z.string().min(1), version: z.string(), name: z.string() })),
  /** More items follow when set. */
  cursor: z.string().nullable().default(null),
});
export const ConnectorFetchInput = z.object({ id: z.string() });
export const ConnectorFetchOutput = z.object({
  bytes: z.string(),
  mediaType: z.string(),
  name: z.string(),
});

/** The operations each kind answers: operation name -> [input, output]. */
export const OPERATIONS = {
  loader: { load: [LoaderInput, LoaderOutput] },
  "text-filter": { filter: [TextFilterInput, TextFilterOutput] },
  "query-expander": { expand: [QueryExpanderInput, QueryExpanderOutput] },
  reranker: { rerank: [RerankerInput, RerankerOutput] },
  postprocessor: { process: [PostprocessorInput, PostprocessorOutput] },
  "chat-provider": { chat: [ChatProviderInput, ChatProviderOutput] },
  embedder: { embed: [EmbedderInput, EmbedderOutput] },
  connector: {
    list: [ConnectorListInput, ConnectorListOutput],
    fetch: [ConnectorFetchInput, ConnectorFetchOutput],
  },
} as const satisfies Record<PluginKind, Record<string, readonly [z.ZodType, z.ZodType]>>;

export type Operations = typeof OPERATIONS;
export type OpName<K extends PluginKind> = keyof Operations[K] & string;
export type OpInput<K extends PluginKind, O extends OpName<K>> = Operations[K][O] extends readonly [
  infer I extends z.ZodType,
  z.ZodType,
]
  ? z.input<I>
  : never;
export type OpOutput<K extends PluginKind, O extends OpName<K>> = Operations[K][O] extends readonly [
  z.ZodType,
  infer R extends z.ZodType,
]
  ? z.output<R>
  : never;

/** Host <-> sandbox wire messages (JSON over the IPC channel). */
export type ToSandbox =
  | { t: "call"; id: number; op: string; input: unknown; config: Record<string, unknown> }
  | { t: "host-result"; id: number; ok: true; value: unknown }
  | { t: "host-result"; id: number; ok: false; code: string; message: string };
export type FromSandbox =
  | { t: "ready" }
  | { t: "result"; id: number; ok: true; value: unknown }
  | { t: "result"; id: number; ok: false; code?: string; message: string }
  | { t: "host-call"; id: number; call: string; args: unknown[] };
