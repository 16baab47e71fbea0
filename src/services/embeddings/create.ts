import type { ServiceCtx } from "../../context.js";
import { countTextTokens } from "../../models/chat/token-count.js";
import { ServiceError, ValidationError } from "../errors.js";
import { recordUsage } from "../ledger/record.js";

export interface EmbeddingsResult {
  model: string;
  vectors: number[][];
  tokens: number;
  usageSource: "provider" | "estimated";
  costMicros: number;
}

/**
 * Dense vectors from the deployment's embedder (the one ingestion and search use, so vectors are
 * comparable with the index). Every call writes a ledger row, even a free one: it is an explicit,
 * billable API call. The offline embedder reports no tokens; they are counted locally then.
 */
export async function createEmbeddings({
  ctx,
  input,
  signal,
}: {
  ctx: ServiceCtx;
  input: { model: string; texts: string[] };
  signal?: AbortSignal;
}): Promise<EmbeddingsResult> {
  const { embedder } = ctx.deps;
  if (!embedder) throw new ServiceError("unavailable", "No embedder is configured on this deployment.");
  if (input.model !== embedder.id && input.model !== "default") {
    throw new ValidationError(
      `Unknown embedding model "${input.model}". This deployment embeds with "${embedder.id}" (also "default"; GET /v1/models shows it as embedding_model).`,
      [{ field: "model", message: `use "${embedder.id}"` }],
    );
  }
  const started = performance.now();
  const result = await embedder.embedDocuments(input.texts, signal ? { signal } : {});
  let tokens = result.tokens;
  let usageSource: "provider" | "estimated" = "provider";
  if (tokens === 0) {
    usageSource = "estimated";
    for (const t of input.texts) tokens += await countTextTokens(t);
  }
  await recordUsage(ctx.deps.database.db, {
    tenantId: ctx.auth.tenantId,
    keyId: ctx.auth.keyId,
    requestId: ctx.requestId,
    kind: "embedding",
    model: embedder.id,
    embeddingTokens: tokens,
    costMicros: result.costMicros,
    usageSource,
    latencyMs: Math.round(performance.now() - started),
    status: "ok",
  });
  return { model: embedder.id, vectors: result.dense, tokens, usageSource, costMicros: result.costMicros };
}
