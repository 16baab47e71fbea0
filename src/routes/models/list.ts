import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { tenantCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import type { ModelInfo } from "../../models/registry.js";
import { modelsForOrg } from "../../services/plugins/chat-models.js";
import { embedderPluginModels } from "../../services/plugins/embedders.js";
import { errorResponses, jsonResponse, security } from "../common.js";
import { UsdString, usd } from "../money.js";

const ModelSchema = z
  .object({
    id: z.string().openapi({ example: "gpt-4o-mini" }),
    object: z.literal("model"),
    created: z.number().int().openapi({ description: "Unix seconds; when this server loaded its models." }),
    owned_by: z.string().openapi({ description: "The provider id (OpenAI's field); same as `provider`." }),
    provider: z
      .string()
      .openapi({ description: "Provider id from configuration; `offline` for extractive." }),
    context_window: z.number().int().nullable(),
    max_output_tokens: z.number().int().nullable(),
    price: z.object({
      input_per_million_micros: z
        .number()
        .int()
        .openapi({ description: "Micro-dollars per million input tokens." }),
      input_per_million_usd: UsdString,
      output_per_million_micros: z.number().int(),
      output_per_million_usd: UsdString,
      cached_input_per_million_micros: z.number().int(),
      cached_input_per_million_usd: UsdString,
      source: z.enum(["config", "catalog", "free"]),
    }),
    default: z.boolean(),
  })
  .openapi("Model");

// OpenAI's list shape (object, data[].id/object/created/owned_by), so its SDKs list models; the other
// fields (prices, context window, default) are ours.
const ListModelsResponse = z
  .object({
    object: z.literal("list"),
    data: z.array(ModelSchema),
    default_model: z.string(),
    embedding_model: z
      .string()
      .nullable()
      .openapi({ description: "The embedder's id, the `model` of POST /v1/embeddings; null without one." }),
    embedding_models: z.array(z.string()).openapi({
      description:
        "Every `model` POST /v1/embeddings accepts for this key: the deployment's embedder (when there is one), then this organization's enabled embedder plugins as `plugin:<id>`, the embedders its knowledge bases may name.",
      example: ["offline-hash-v1", "plugin:tiny-embedder"],
    }),
  })
  .openapi("ModelList");

export const route = createRoute({
  method: "get",
  path: "/models",
  tags: ["Search and ask"],
  summary:
    "Models this key may use in /v1/ask and /v1/chat/completions, in OpenAI's list shape with prices (any tenant key)",
  security,
  responses: { 200: jsonResponse(ListModelsResponse, "The models."), ...errorResponses(403) },
});

export type ListModelsResult = z.infer<typeof ListModelsResponse>;

/** Models are loaded once per process, so their `created` is the time this module was loaded. */
const LOADED_AT = Math.floor(Date.now() / 1000);

function toModel(m: ModelInfo, defaultId: string): z.infer<typeof ModelSchema> {
  return {
    id: m.id,
    object: "model",
    created: LOADED_AT,
    owned_by: m.provider,
    provider: m.provider,
    context_window: m.contextWindow,
    max_output_tokens: m.maxOutputTokens,
    price: {
      input_per_million_micros: m.price.inputMicrosPerMillion,
      input_per_million_usd: usd(m.price.inputMicrosPerMillion),
      output_per_million_micros: m.price.outputMicrosPerMillion,
      output_per_million_usd: usd(m.price.outputMicrosPerMillion),
      cached_input_per_million_micros: m.price.cachedInputMicrosPerMillion,
      cached_input_per_million_usd: usd(m.price.cachedInputMicrosPerMillion),
      source: m.priceSource,
    },
    default: m.id === defaultId,
  };
}

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(route, async (c) => {
    // The deployment's models plus the caller's organization's chat-provider and embedder plugins.
    const ctx = tenantCtx(c);
    const [registry, embedderPlugins] = await Promise.all([modelsForOrg(ctx), embedderPluginModels(ctx)]);
    const embedder = ctx.deps.embedder?.id ?? null;
    return c.json(
      {
        object: "list" as const,
        data: registry.list().map((m) => toModel(m, registry.defaultModelId)),
        default_model: registry.defaultModelId,
        embedding_model: embedder,
        embedding_models: [...(embedder ? [embedder] : []), ...embedderPlugins],
      },
      200,
    );
  });
}
