import type { DocFormat, ParsedDocument } from "../types.js";
import type { ParseLimits } from "./limits.js";
import { type IsolatedParseOptions, runIsolated } from "./parse-pool.js";

// Plugins at ingestion (issue 19) split a parse thread's usual job in two: text-filter plugins need
// a document's pages before it is chunked, and a loader plugin's pages arrive already read. Both
// halves run on the same threads, under the same limits, as parseIsolated.

/** Reads a document on a parse thread (same limits) without chunking it: for text-filter plugins. */
export async function readIsolated(
  bytes: Uint8Array,
  format: Exclude<DocFormat, "pdf">,
  opts: { limits?: ParseLimits; contentType?: string | null },
): Promise<ParsedDocument> {
  let doc: ParsedDocument | null = null;
  const data = bytes.slice();
  await runIsolated(
    { format, data, chunking: null, contentType: opts.contentType ?? null },
    {
      limits: opts.limits,
      onParsed: (info) => {
        doc = { format, ...info };
      },
      onChunks: () => undefined,
    },
  );
  return doc!;
}

/** Chunks an already-read document (a loader plugin's pages, filtered pages) on a parse thread. */
export function chunkIsolated(doc: ParsedDocument, opts: IsolatedParseOptions): Promise<{ chunks: number }> {
  const job = { format: "text" as const, data: new Uint8Array(0), chunking: opts.chunking, doc };
  return runIsolated(job, opts);
}
