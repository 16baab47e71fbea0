import type { Schemas } from "../../api/client";

export type Doc = Schemas["Document"];
export type Stage = "uploading" | "queued" | "parse" | "chunk" | "embed" | "index" | "ready" | "failed";

/** Which pipeline step a document is in, read from its progress counters. */
export function stageOf(d: Doc): Stage {
  if (d.status === "ready" || d.status === "failed" || d.status === "queued") return d.status;
  const p = d.progress;
  if (d.chunks === null) return p.pages_parsed > 0 ? "chunk" : "parse";
  if (p.chunks_embedded < d.chunks) return "embed";
  return "index";
}

/** Ingestion failure codes the console explains in the user's language (ingest/parsers, ingest/pipeline). */
export const KNOWN_FAILURES = new Set([
  "encrypted",
  "no_text",
  "corrupt",
  "empty",
  "unsupported_type",
  "too_large",
  "blob_missing",
  "timeout",
  "vector_store_unavailable",
  "embedding_failed",
  "internal_error",
]);
