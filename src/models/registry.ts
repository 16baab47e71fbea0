/**
 * The chat models this deployment offers, built from configuration plus the built-in price catalog.
 *
 * Configuration arrives as two JSON env vars, parsed at start by src/config.ts (shapes in config-schema.ts):
 *   PROVIDERS_JSON='[{"id":"openai","baseURL":"https://api.openai.com/v1","apiKey":"sk-..."},
 *                    {"id":"deepseek","baseURL":"https://api.deepseek.com/v1","apiKey":"sk-..."}]'
 *   MODELS_JSON='[{"id":"gpt-4o-mini","provider":"openai"},
 *                 {"id":"fast","provider":"deepseek","upstream":"deepseek-chat"},
 *                 {"id":"local","provider":"vllm","upstream":"qwen2.5-7b","contextWindow":32768,
 *                  "price":{"input":0,"output":0}}]'
 * `upstream` is the model name sent to the provider (default: id). Prices are USD per million tokens;
 * a model may omit them when its upstream name is in the catalog, and configured values win over the
 * catalog's. The first configured model is the default unless `default` names another. The offline
 * `extractive` model is always present, free, and is the default when nothing else is configured.
 */
import { builtinCatalog, type CatalogFile, catalogPrice, findCatalogEntry } from "./catalog/index.js";
import { createOpenAICompatibleChat } from "./chat/openai-compatible.js";
import {
  type ModelConfig,
  modelsConfigSchema,
  type ProviderConfig,
  providersConfigSchema,
} from "./config-schema.js";
import { FREE, type Price, usdPerMillionToMicros } from "./cost.js";
import { createExtractiveModel, EXTRACTIVE_MODEL_ID } from "./extractive/index.js";
import type { ChatModel } from "./types.js";

export {
  type ModelConfig,
  modelConfigSchema,
  modelsConfigSchema,
  type ProviderConfig,
  providerConfigSchema,
  providersConfigSchema,
} from "./config-schema.js";

export interface ModelInfo {
  id: string;
  /** Provider id from configuration ("offline" for the extractive model). */
  provider: string;
  upstream: string;
  contextWindow: number | null;
  maxOutputTokens: number | null;
  price: Price;
  priceSource: "config" | "catalog" | "free";
}

export interface ModelRegistry {
  list(): ModelInfo[];
  get(id: string): { info: ModelInfo; chat: ChatModel } | undefined;
  readonly defaultModelId: string;
}

function resolvePrice(m: ModelConfig, catalogPriceFor: Price | undefined, upstream: string): Price {
  if (m.price) {
    const input = usdPerMillionToMicros(m.price.input);
    return {
      inputMicrosPerMillion: input,
      outputMicrosPerMillion: usdPerMillionToMicros(m.price.output),
      cachedInputMicrosPerMillion:
        m.price.cachedInput !== undefined
          ? usdPerMillionToMicros(m.price.cachedInput)
          : // keep the catalog's cache discount, but never charge cached tokens more than uncached ones
            Math.min(catalogPriceFor?.cachedInputMicrosPerMillion ?? input, input),
    };
  }
  if (catalogPriceFor) return catalogPriceFor;
  throw new Error(
    `model "${m.id}": upstream "${upstream}" is not in the built-in price catalog, so set its price in ` +
      `MODELS_JSON, e.g. "price": {"input": 0.5, "output": 1.5} (USD per million tokens; 0 for free local models)`,
  );
}

export function createModelRegistry(config: {
  providers: ProviderConfig[];
  models: ModelConfig[];
  catalog: CatalogFile;
  default?: string;
  timeoutMs?: number;
}): ModelRegistry {
  const providers = new Map(providersConfigSchema.parse(config.providers).map((p) => [p.id, p]));
  const entries = new Map<string, { info: ModelInfo; chat: ChatModel }>();

  for (const m of modelsConfigSchema.parse(config.models)) {
    if (m.id === EXTRACTIVE_MODEL_ID)
      throw new Error(`model id "${EXTRACTIVE_MODEL_ID}" is reserved for the offline model`);
    if (entries.has(m.id)) throw new Error(`model "${m.id}" is configured twice in MODELS_JSON`);
    const provider = providers.get(m.provider);
    if (!provider) {
      throw new Error(
        `model "${m.id}" names provider "${m.provider}", which PROVIDERS_JSON does not define ` +
          `(defined: ${[...providers.keys()].join(", ") || "none"})`,
      );
    }
    const upstream = m.upstream ?? m.id;
    const entry = findCatalogEntry(config.catalog, upstream);
    const info: ModelInfo = {
      id: m.id,
      provider: m.provider,
      upstream,
      contextWindow: m.contextWindow ?? entry?.contextWindow ?? null,
      maxOutputTokens: m.maxOutputTokens ?? entry?.maxOutputTokens ?? null,
      price: resolvePrice(m, entry ? catalogPrice(entry) : undefined, upstream),
      priceSource: m.price ? "config" : "catalog",
    };
    const chat = createOpenAICompatibleChat({
      id: m.id,
      baseURL: provider.baseURL,
      apiKey: provider.apiKey,
      model: upstream,
      ...(info.contextWindow ? { contextWindow: info.contextWindow } : {}),
      ...(config.timeoutMs ? { timeoutMs: config.timeoutMs } : {}),
    });
    entries.set(m.id, { info, chat });
  }

  entries.set(EXTRACTIVE_MODEL_ID, {
    info: {
      id: EXTRACTIVE_MODEL_ID,
      provider: "offline",
      upstream: EXTRACTIVE_MODEL_ID,
      contextWindow: null,
      maxOutputTokens: null,
      price: FREE,
      priceSource: "free",
    },
    chat: createExtractiveModel(),
  });

  const defaultModelId = config.default ?? config.models[0]?.id ?? EXTRACTIVE_MODEL_ID;
  if (!entries.has(defaultModelId)) {
    throw new Error(
      `default model "${defaultModelId}" is not configured; choose one of ${[...entries.keys()].join(", ")}`,
    );
  }
  return {
    list: () => [...entries.values()].map((e) => e.info),
    get: (id) => entries.get(id),
    defaultModelId,
  };
}

/** Only the offline `extractive` model: for deployments (the edge) and tests that configure none. */
export function offlineModelRegistry(): ModelRegistry {
  return createModelRegistry({ providers: [], models: [], catalog: builtinCatalog });
}
