/**
 * The ask's events in OpenAI's Responses shapes: a stream of typed events, or one response object.
 * Citations are `file_citation` annotations at the [n] markers, with pages and chunk as extensions
 * (OpenAI's own file_citation has no page).
 */
import type { z } from "@hono/zod-openapi";
import type { AskEvent, AskSource, UsageData } from "../../services/ask/events.js";
import type { FileRef } from "../../services/vector-stores/file-refs.js";
import type { FileCitation, FileSearchTool, ResponseObject, ResponseUsage } from "./schema.js";

export type ResponseFileCitation = z.infer<typeof FileCitation>;
export type ResponseResult = z.infer<typeof ResponseObject>;
type Output = ResponseResult["output"][number];

/** What the response echoes of its request, fixed before the ask runs. */
export interface ResponseMeta {
  id: string;
  createdAt: number;
  model: string;
  instructions: string | null;
  metadata: Record<string, string> | null;
  temperature: number | null;
  maxOutputTokens: number | null;
  tools: z.infer<typeof FileSearchTool>[];
  toolChoice: ResponseResult["tool_choice"];
  /** The query file_search ran (after the conversation rewrite); null when not grounded. */
  query: string | null;
  includeResults: boolean;
  files: Map<string, FileRef>;
}

const fileOf = (meta: ResponseMeta, s: AskSource): FileRef =>
  meta.files.get(s.document_id) ?? { fileId: s.document_id, filename: s.title };

/** One annotation per [n] (or [n, m]) marker naming a retrieved source, in text order. */
export function toAnnotations(
  meta: ResponseMeta,
  sources: AskSource[],
  text: string,
): ResponseFileCitation[] {
  const byN = new Map(sources.map((s) => [s.n, s]));
  const out: ResponseFileCitation[] = [];
  for (const m of text.matchAll(/\[(\d{1,4}(?:\s*,\s*\d{1,4})*)\]/g)) {
    for (const n of m[1]!.split(",").map((x) => Number(x.trim()))) {
      const s = byN.get(n);
      if (!s) continue;
      const file = fileOf(meta, s);
      out.push({
        type: "file_citation",
        file_id: file.fileId,
        filename: file.filename,
        index: m.index,
        source_index: n,
        document_id: s.document_id,
        knowledge_base_id: s.knowledge_base_id,
        title: s.title,
        page_start: s.page_start,
        page_end: s.page_end,
        chunk_id: s.chunk_id,
        score: s.score,
      });
    }
  }
  return out;
}

export function toResponseUsage(u: UsageData | null): z.infer<typeof ResponseUsage> {
  const input = u?.input_tokens ?? 0;
  const output = u?.output_tokens ?? 0;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: u?.cached_input_tokens ?? 0, cache_write_tokens: 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: input + output,
    cost_micros: u?.cost_micros ?? 0,
    usage_source: u?.usage_source ?? "estimated",
  };
}

function searchCall(meta: ResponseMeta, sources: AskSource[]): Output {
  return {
    type: "file_search_call",
    id: `fs_${meta.id.slice(5)}`,
    status: "completed",
    queries: meta.query ? [meta.query] : [],
    results: meta.includeResults
      ? sources.map((s) => {
          const file = fileOf(meta, s);
          const pages: Record<string, number> =
            s.page_start === null ? {} : { page_start: s.page_start, page_end: s.page_end ?? s.page_start };
          return {
            file_id: file.fileId,
            filename: file.filename,
            score: s.score,
            text: s.text,
            attributes: pages,
          };
        })
      : null,
  };
}

function message(
  meta: ResponseMeta,
  text: string,
  annotations: ResponseFileCitation[],
  done: boolean,
): Output {
  return {
    type: "message",
    id: `msg_${meta.id.slice(5)}`,
    role: "assistant",
    status: done ? "completed" : "in_progress",
    content: done ? [{ type: "output_text", text, annotations, logprobs: [] }] : [],
  };
}

interface State {
  status: ResponseResult["status"];
  sources: AskSource[];
  text: string;
  usage: UsageData | null;
  error: { code: string; message: string } | null;
}

export function toResponse(meta: ResponseMeta, st: State): ResponseResult {
  const finished = st.status !== "in_progress";
  const output: Output[] = [];
  if (meta.query !== null && (finished || st.sources.length > 0)) output.push(searchCall(meta, st.sources));
  if (st.status === "completed")
    output.push(message(meta, st.text, toAnnotations(meta, st.sources, st.text), true));
  return {
    id: meta.id,
    object: "response",
    created_at: meta.createdAt,
    completed_at: st.status === "completed" ? Math.floor(Date.now() / 1000) : null,
    status: st.status,
    error: st.error,
    incomplete_details: null,
    instructions: meta.instructions,
    metadata: meta.metadata,
    model: meta.model,
    output,
    output_text: st.status === "completed" ? st.text : "",
    parallel_tool_calls: false,
    previous_response_id: null,
    store: false,
    temperature: meta.temperature,
    text: { format: { type: "text" } },
    tool_choice: meta.toolChoice,
    tools: meta.tools,
    top_p: null,
    max_output_tokens: meta.maxOutputTokens,
    usage: finished ? toResponseUsage(st.usage) : null,
  };
}

const encoder = new TextEncoder();

/**
 * A stateful framer for one streamed response: every event carries a sequence number, and the
 * message's annotations are sent once its text is complete, when every [n] marker is known.
 */
export function eventFramer(meta: ResponseMeta) {
  const st: State = { status: "in_progress", sources: [], text: "", usage: null, error: null };
  let seq = 0;
  const msgIndex = meta.query !== null ? 1 : 0;
  const msgId = `msg_${meta.id.slice(5)}`;
  const ev = (type: string, body: object) =>
    `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: seq++, ...body })}\n\n`;
  const part = (text: string, annotations: ResponseFileCitation[]) => ({
    type: "output_text",
    text,
    annotations,
    logprobs: [],
  });
  const at = { item_id: msgId, output_index: msgIndex, content_index: 0 };
  return (e: AskEvent): Uint8Array | null => {
    let out = "";
    switch (e.type) {
      case "sources": {
        st.sources = e.data.sources;
        out += ev("response.created", { response: toResponse(meta, { ...st, sources: [] }) });
        out += ev("response.in_progress", { response: toResponse(meta, { ...st, sources: [] }) });
        if (meta.query !== null) {
          const call = searchCall(meta, st.sources);
          const ref = { item_id: call.id, output_index: 0 };
          out += ev("response.output_item.added", {
            output_index: 0,
            item: { ...call, status: "in_progress" },
          });
          out += ev("response.file_search_call.in_progress", ref);
          out += ev("response.file_search_call.searching", ref);
          out += ev("response.file_search_call.completed", ref);
          out += ev("response.output_item.done", { output_index: 0, item: call });
        }
        out += ev("response.output_item.added", {
          output_index: msgIndex,
          item: message(meta, "", [], false),
        });
        out += ev("response.content_part.added", { ...at, part: part("", []) });
        break;
      }
      case "delta":
        st.text += e.data.text;
        out += ev("response.output_text.delta", { ...at, delta: e.data.text, logprobs: [] });
        break;
      case "usage":
        st.usage = e.data;
        return null;
      case "error":
        st.error = { code: e.data.code, message: e.data.message };
        return null;
      case "done": {
        if (st.error) {
          st.status = "failed";
          out += ev("response.failed", { response: toResponse(meta, st) });
          break;
        }
        const annotations = toAnnotations(meta, st.sources, st.text);
        annotations.forEach((annotation, i) => {
          out += ev("response.output_text.annotation.added", { ...at, annotation_index: i, annotation });
        });
        out += ev("response.output_text.done", { ...at, text: st.text, logprobs: [] });
        out += ev("response.content_part.done", { ...at, part: part(st.text, annotations) });
        st.status = "completed";
        out += ev("response.output_item.done", {
          output_index: msgIndex,
          item: message(meta, st.text, annotations, true),
        });
        out += ev("response.completed", { response: toResponse(meta, st) });
        break;
      }
    }
    return encoder.encode(out);
  };
}
