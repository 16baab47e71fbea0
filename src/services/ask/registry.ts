import type { AppDeps } from "../../context.js";
import type { ModelRegistry } from "../../models/registry.js";

/**
 * The deployment's chat models, built once at start from the parsed config (src/runtime/models.ts)
 * or, where no models are configured, the offline-only registry (offlineModelRegistry).
 */
export function modelsOf(deps: AppDeps): ModelRegistry {
  return deps.models;
}
