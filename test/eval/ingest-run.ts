import { createEvalKb, type EvalKb, listCorpusDocuments, uploadCorpus, waitUntilIngested } from "./corpus.js";
import { expectStatus, type ProductApi } from "./product.js";
import type { EvalDoc } from "./tune/datasets.js";

export interface CorpusIngest {
  documents: number;
  chunks: number;
  /** From the first upload until the last document is ready. */
  ms: number;
  docsPerSecond: number;
  /** Mean pipeline milliseconds per document by stage, as the pipeline recorded them. */
  stageMsPerDoc: Record<string, number>;
}

/** Creates the tenant, knowledge base and query key, ingests the corpus and maps ids back. */
export async function ingestCorpus(
  api: ProductApi,
  docs: EvalDoc[],
  opts: {
    kb: { chunk_size?: number; chunk_overlap?: number };
    concurrency?: number;
    timeoutMs: number;
    log: (line: string) => void;
  },
): Promise<{
  kb: EvalKb;
  queryKey: string;
  corpusIdOf: Map<string, string>;
  settings: { chunkSize: number; chunkOverlap: number };
  summary: CorpusIngest;
}> {
  const kbBody = Object.fromEntries(Object.entries(opts.kb).filter(([, v]) => v !== undefined));
  const kb = await createEvalKb(api, kbBody);
  const started = performance.now();
  await uploadCorpus(api, kb, docs, opts.concurrency);
  opts.log(`uploaded ${docs.length} documents in ${Math.round(performance.now() - started)} ms`);
  let lastLog = 0;
  await waitUntilIngested(api, kb, {
    timeoutMs: opts.timeoutMs,
    onProgress: (pending) => {
      if (Date.now() - lastLog < 10_000) return;
      lastLog = Date.now();
      opts.log(`ingesting: ${pending} documents pending`);
    },
  });
  const ms = performance.now() - started;
  const { corpusIdOf, chunks, stageMs } = await listCorpusDocuments(api, kb);
  if (corpusIdOf.size !== new Set(docs.map((d) => d.id)).size) {
    throw new Error(
      `eval: ${corpusIdOf.size} documents in the knowledge base for ${docs.length} corpus entries`,
    );
  }
  const info = expectStatus(
    await api.call("GET", `/v1/knowledge-bases/${kb.kbId}`, { key: kb.adminKey }),
    200,
    "get knowledge base",
  );
  const query = expectStatus(
    await api.call("POST", "/v1/keys", { key: kb.adminKey, body: { name: "eval-query", scopes: ["query"] } }),
    201,
    "create query key",
  );
  opts.log(`ingested ${docs.length} documents (${chunks} chunks) in ${Math.round(ms)} ms`);
  return {
    kb,
    queryKey: query.key,
    corpusIdOf,
    settings: { chunkSize: info.chunk_size, chunkOverlap: info.chunk_overlap },
    summary: {
      documents: docs.length,
      chunks,
      ms: Math.round(ms),
      docsPerSecond: docs.length / (ms / 1000),
      stageMsPerDoc: stageMs,
    },
  };
}
