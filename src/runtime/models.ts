import type { Config } from "../config.js";
import { builtinCatalog } from "../models/catalog/index.js";
import { createModelRegistry, type ModelRegistry } from "../models/registry.js";

/**
 * The deployment's chat models from the providers and models config parsed at start (PROVIDERS_JSON,
 * MODELS_JSON, DEFAULT_MODEL); keys named by apiKeyEnv come from config.secrets.
 */
export function modelRegistryFromConfig(config: Config): ModelRegistry {
  const providers = config.chatProviders.map((p) => ({
    id: p.id,
    baseURL: p.baseURL,
    // Local servers (Ollama, vLLM) take no key, but the OpenAI client insists on one.
    apiKey: p.apiKey ?? (p.apiKeyEnv ? config.secrets[p.apiKeyEnv] : undefined) ?? "not-needed",
  }));
  return createModelRegistry({
    providers,
    models: config.chatModels,
    catalog: builtinCatalog,
    ...(config.DEFAULT_MODEL ? { default: config.DEFAULT_MODEL } : {}),
  });
}
