import { z } from "zod";
import type { Config } from "../../config.js";
import type { AppDeps } from "../../context.js";
import { builtinCatalog } from "../../models/catalog/index.js";
import { createModelRegistry, type ModelRegistry, modelsConfigSchema } from "../../models/registry.js";

let offlineOnly: ModelRegistry | undefined;

/** The deployment's models; without configuration, just the offline `extractive` model. */
export function modelsOf(deps: AppDeps): ModelRegistry {
  if (deps.models) return deps.models;
  offlineOnly ??= createModelRegistry({ providers: [], models: [], catalog: builtinCatalog });
  return offlineOnly;
}

const providerEntry = z.object({
  id: z.string().min(1),
  baseURL: z.url(),
  apiKey: z.string().optional(),
  /** Name of the environment variable holding the key, so keys stay out of PROVIDERS_JSON. */
  apiKeyEnv: z.string().min(1).optional(),
});

function parseJson(name: string, raw: string | undefined): unknown {
  if (!raw) return [];
  try {
    return JSON.parse(raw);
  } catch (e) {
    throw new Error(
      `${name} is not valid JSON (${(e as Error).message}); see the configuration table in README.md`,
    );
  }
}

/** Builds the registry from PROVIDERS_JSON, MODELS_JSON and DEFAULT_MODEL; errors name the variable. */
export function modelRegistryFromConfig(config: Config): ModelRegistry {
  const providers = z.array(providerEntry).safeParse(parseJson("PROVIDERS_JSON", config.PROVIDERS_JSON));
  if (!providers.success) throw new Error(`PROVIDERS_JSON is invalid: ${z.prettifyError(providers.error)}`);
  const models = modelsConfigSchema.safeParse(parseJson("MODELS_JSON", config.MODELS_JSON));
  if (!models.success) throw new Error(`MODELS_JSON is invalid: ${z.prettifyError(models.error)}`);
  const resolved = providers.data.map((p) => {
    let apiKey = p.apiKey;
    if (apiKey === undefined && p.apiKeyEnv) {
      apiKey = config.secrets[p.apiKeyEnv];
      if (!apiKey)
        throw new Error(`provider "${p.id}": environment variable ${p.apiKeyEnv} (apiKeyEnv) is not set`);
    }
    // Local servers (Ollama, vLLM) take no key, but the OpenAI client insists on one.
    return { id: p.id, baseURL: p.baseURL, apiKey: apiKey ?? "not-needed" };
  });
  return createModelRegistry({
    providers: resolved,
    models: models.data,
    catalog: builtinCatalog,
    ...(config.DEFAULT_MODEL ? { default: config.DEFAULT_MODEL } : {}),
  });
}
