import { eq } from "drizzle-orm";
import { hashKey } from "../../src/auth/keys.js";
import type { ServiceCtx } from "../../src/context.js";
import { apiKeys } from "../../src/db/schema.js";
import { hiddenVersionIds } from "../../src/services/documents/visibility.js";
import { loadVisibleKbs } from "../../src/services/search/visible-kbs.js";
import type { ProductApi } from "./product.js";
import { percentile } from "./queries.js";
import type { EvalQuery } from "./tune/datasets.js";

export interface StepLatency {
  step: string;
  p50: number;
  p99: number;
}

/**
 * Where a hybrid search request's time goes: the whole POST /v1/search call, then each step the route
 * performs (key lookup, knowledge-base visibility, hidden versions, query embedding, the vector query
 * over HTTP to the engine), each called directly and timed on its own over the same queries.
 */
export async function latencyBreakdown(
  api: ProductApi,
  opts: { key: string; kbId: string; queries: EvalQuery[]; topK: number },
): Promise<StepLatency[]> {
  const { deps } = api.runtime;
  const db = deps.database.db;
  const embedder = deps.embedder!;
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(eq(apiKeys.hash, hashKey(opts.key)))
    .limit(1);
  const ctx: ServiceCtx = {
    deps,
    requestId: "req_latency_breakdown",
    auth: { keyId: row!.id, tenantId: row!.tenantId!, scopes: ["query"], kbIds: null, platform: false },
  };
  const kbIds = [opts.kbId];
  const vectorQuery = async (q: string, limit: number, withText = true) => {
    const e = await embedder.embedQuery(q);
    return deps.vectors!.query(ctx.auth.tenantId, {
      scope: { kbIds },
      mode: "hybrid",
      dense: e.dense,
      sparse: e.sparse,
      limit,
      withText,
      ...(embedder.fusion ? { fusion: embedder.fusion } : {}),
    });
  };
  const steps: [string, (q: string) => Promise<unknown>][] = [
    [
      `POST /v1/search (top_k ${opts.topK}, with_text false: what the eval runs)`,
      (q) =>
        api.call("POST", "/v1/search", {
          key: opts.key,
          body: { query: q, knowledge_base_ids: kbIds, top_k: opts.topK, with_text: false },
        }),
    ],
    [
      `POST /v1/search (top_k ${opts.topK}, with text)`,
      (q) =>
        api.call("POST", "/v1/search", {
          key: opts.key,
          body: { query: q, knowledge_base_ids: kbIds, top_k: opts.topK },
        }),
    ],
    [
      "POST /v1/search (top_k 8, the default)",
      (q) => api.call("POST", "/v1/search", { key: opts.key, body: { query: q, knowledge_base_ids: kbIds } }),
    ],
    [
      "auth: API key lookup",
      () =>
        db
          .select()
          .from(apiKeys)
          .where(eq(apiKeys.hash, hashKey(opts.key)))
          .limit(1),
    ],
    ["knowledge-base visibility", () => loadVisibleKbs(ctx, kbIds)],
    ["hidden document versions", () => hiddenVersionIds(db, ctx.auth.tenantId, kbIds)],
    ["query embedding", (q) => embedder.embedQuery(q)],
    [`vector query, HTTP + engine (limit ${opts.topK}, no text)`, (q) => vectorQuery(q, opts.topK, false)],
    [`vector query, HTTP + engine (limit ${opts.topK})`, (q) => vectorQuery(q, opts.topK)],
    ["vector query, HTTP + engine (limit 8)", (q) => vectorQuery(q, 8)],
  ];
  const out: StepLatency[] = [];
  for (const [step, fn] of steps) {
    const times: number[] = [];
    for (const q of opts.queries) {
      const t0 = performance.now();
      await fn(q.text);
      times.push(performance.now() - t0);
    }
    out.push({ step, p50: percentile(times, 50), p99: percentile(times, 99) });
  }
  return out;
}
