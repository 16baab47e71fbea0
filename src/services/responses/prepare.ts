/**
 * A response (OpenAI's Responses protocol) is a chat completion by a third door: the file_search tool's
 * vector stores are knowledge bases, so it grounds through prepareCompletion (the conversation-aware
 * rewrite, budgets, ledger) and only adds how the door names files in its citations.
 */
import type { ServiceCtx } from "../../context.js";
import type { ChatMessage } from "../../models/types.js";
import { type PreparedCompletion, prepareCompletion } from "../chat/prepare.js";
import { type FileRef, fileRefs } from "../vector-stores/file-refs.js";
import { type AttributeFilter, toMetaFilter } from "../vector-stores/filters.js";

export interface FileSearchInput {
  vectorStoreIds: string[];
  filters?: AttributeFilter;
  maxResults?: number;
}

export interface ResponseInput {
  model: string;
  messages: ChatMessage[];
  fileSearch?: FileSearchInput;
  topK: number;
  template?: string;
  maxTokens?: number;
  temperature?: number;
}

export interface PreparedResponse extends PreparedCompletion {
  /** The file id and name of every source's document (by document id). */
  files: Map<string, FileRef>;
}

export async function prepareResponse({
  ctx,
  input,
  signal,
}: {
  ctx: ServiceCtx;
  input: ResponseInput;
  signal?: AbortSignal;
}): Promise<PreparedResponse> {
  const fs = input.fileSearch;
  const completion = await prepareCompletion({
    ctx,
    input: {
      model: input.model,
      messages: input.messages,
      topK: fs?.maxResults ?? input.topK,
      ...(fs ? { kbIds: fs.vectorStoreIds } : {}),
      ...(fs?.filters ? { filter: toMetaFilter(fs.filters, "tools.0.filters") } : {}),
      ...(input.template ? { template: input.template } : {}),
      ...(input.maxTokens !== undefined ? { maxTokens: input.maxTokens } : {}),
      ...(input.temperature !== undefined ? { temperature: input.temperature } : {}),
    },
    ...(signal ? { signal } : {}),
  });
  const files = await fileRefs(
    ctx,
    completion.sources.map((s) => s.document_id),
  );
  return { ...completion, files };
}
