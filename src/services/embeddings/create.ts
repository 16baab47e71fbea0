import type { ServiceCtx } from "../../context.js";
import { countTextTokens } from "../../models/chat/token-count.js";
import { embedderPluginId } from "../../vector/collections.js";
import { ServiceError, ValidationError } from "../errors.js";
import { recordUsage } from "../ledger/record.js";
import { embedderPluginModels, pluginEmbed } from "../plugins/embedders.js";

export interface EmbeddingsResult {
  model: string;
  vectors: number[][];
  tokens: number;
  usageSource: "provider" | "estimated";
  costMicros: number;
}

interface EmbeddingsInput {
  model: string;
  texts: string[];
  /** When given, must equal the vectors' dimension (vectors are not truncated). */
  dimensions?: number;
}

function checkDimensions(requested: number | undefined, dimension: number | undefined) {
  if (requested === undefined || dimension === undefined || requested === dimension) return;
  throw new ValidationError(
    `This embedder makes ${dimension}-dimensional vectors; omit dimensions or send ${dimension}.`,
    [{ field: "dimensions", message: `must be ${dimension}` }],
  );
}

/**
 * Dense vectors from the deployment's embedder (the one ingestion and search use, so vectors are
 * comparable with the index), or from an embedder plugin the organization has enabled
 * (`plugin:<id>`, the vectors of its knowledge bases). Every call writes a ledger row, even a free one:
 * it is an explicit, billable API call. The offline embedder and plugins report no tokens; they are
 * counted locally then.
 */
export async function createEmbeddings({
  ctx,
  input,
  signal,
}: {
  ctx: ServiceCtx;
  input: EmbeddingsInput;
  signal?: AbortSignal;
}): Promise<EmbeddingsResult> {
  const { embedder } = ctx.deps;
  const pluginId = embedderPluginId(input.model);
  if (pluginId) return pluginEmbeddings(ctx, pluginId, input);
  if (!embedder) throw new ServiceError("unavailable", "No embedder is configured on this deployment.");
  if (input.model !== embedder.id && input.model !== "default") {
    const plugins = await embedderPluginModels(ctx);
    throw new ValidationError(
      `Unknown embedding model "${input.model}". This deployment embeds with "${embedder.id}" (also "default"; GET /v1/models shows it as embedding_model)${plugins.length ? `, and this organization's embedder plugins are ${plugins.map((p) => `"${p}"`).join(", ")}` : ""}.`,
      [{ field: "model", message: `use "${embedder.id}"` }],
    );
  }
  checkDimensions(input.dimensions, embedder.dimension);
  const started = performance.now();
  const result = await embedder.embedDocuments(input.texts, signal ? { signal } : {});
  let tokens = result.tokens;
  let usageSource: "provider" | "estimated" = "provider";
  if (tokens === 0) {
    usageSource = "estimated";
    tokens = await countTokens(input.texts);
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

async function countTokens(texts: string[]): Promise<number> {
  let tokens = 0;
  for (const t of texts) tokens += await countTextTokens(t);
  return tokens;
}

/**
 * An enabled embedder plugin's vectors, checked like its knowledge bases' (one finite vector per text,
 * one dimension). Free to the service, as plugin chat models are; the ledger row records the call.
 * Another organization's plugin, or one not enabled, is an unknown model.
 */
async function pluginEmbeddings(
  ctx: ServiceCtx,
  pluginId: string,
  input: EmbeddingsInput,
): Promise<EmbeddingsResult> {
  const started = performance.now();
  const vectors = await pluginEmbed(ctx.deps, ctx.auth.tenantId, pluginId, input.texts, {
    expectedDimension: null,
    cached: true,
  });
  if (!vectors) {
    throw new ValidationError(
      `Unknown embedding model "${input.model}": no embedder plugin ${pluginId} is enabled for this organization (GET /v1/models lists embedding_models).`,
      [{ field: "model", message: "not an enabled embedder plugin" }],
    );
  }
  checkDimensions(input.dimensions, vectors[0]?.length);
  const tokens = await countTokens(input.texts);
  await recordUsage(ctx.deps.database.db, {
    tenantId: ctx.auth.tenantId,
    keyId: ctx.auth.keyId,
    requestId: ctx.requestId,
    kind: "embedding",
    model: input.model,
    embeddingTokens: tokens,
    costMicros: 0,
    usageSource: "estimated",
    latencyMs: Math.round(performance.now() - started),
    status: "ok",
  });
  return { model: input.model, vectors, tokens, usageSource: "estimated", costMicros: 0 };
}
