/**
 * The events of an ask, in their wire shape: the SSE stream sends each as `event: <type>` with `data`
 * as JSON, and the non-streaming response is assembled from the same events.
 */
import { formatMicros } from "../../models/cost.js";

export interface AskSource {
  n: number;
  chunk_id: string;
  knowledge_base_id: string;
  document_id: string;
  document_version_id: string;
  title: string;
  page_start: number | null;
  page_end: number | null;
  heading_path: string[];
  char_start: number;
  char_end: number;
  score: number;
  text: string;
}

export type CallStatus = "ok" | "failed" | "cut_off" | "aborted";

export interface UsageData {
  model: string;
  status: CallStatus;
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  usage_source: "provider" | "estimated";
  /** Exact charge in integer micro-dollars; cost_usd is the same amount as a decimal string. */
  cost_micros: number;
  cost_usd: string;
  /** The customer's charge: cost × the plan's markup for the model (issue 16; equal to cost at 1.0). */
  charge_micros: number;
  charge_usd: string;
  latency_ms: number;
  ttft_ms: number | null;
}

export interface ErrorData {
  model: string;
  code: string;
  message: string;
}

export interface ModelSummary {
  model: string;
  status: CallStatus | "skipped";
  /** Source numbers the answer cites; every one is in `sources`. */
  citations: number[];
  /** Numbers the model wrote that match no source (it invented them); never shown as links. */
  unknown_citations: number[];
  /**
   * False when this answer says the knowledge base does not cover the question: the model opened with
   * the "not found" sentence, or retrieval found too little evidence (see answerability.ts).
   */
  answerable: boolean;
  /** The answer after the organization's post-processor plugins, when they changed it (issue 19). */
  postprocessed_text?: string;
}

export interface DoneData {
  models: ModelSummary[];
  /** True when at least one model gave an answer (not "not found" and not failed). */
  answerable: boolean;
  input_tokens: number;
  output_tokens: number;
  embedding_tokens: number;
  cost_micros: number;
  cost_usd: string;
  latency_ms: number;
}

export type AskEvent =
  | { type: "sources"; data: { sources: AskSource[] } }
  | { type: "delta"; data: { model: string; text: string } }
  | { type: "usage"; data: UsageData }
  | { type: "error"; data: ErrorData }
  | { type: "done"; data: DoneData };

/** The API's one money shape (see routes/money.ts): a six-place decimal string beside the micros. */
export const microsToUsd = (micros: number) => formatMicros(micros);
