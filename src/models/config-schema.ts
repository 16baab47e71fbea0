/**
 * The shapes of PROVIDERS_JSON and MODELS_JSON. src/config.ts parses both with the rest of the
 * environment at start; the registry (registry.ts) builds chat models from the result.
 */
import { z } from "zod";

const usdPerMillion = z.union([z.number().nonnegative(), z.string().regex(/^\d+(\.\d+)?$/)]);

/** A provider as written in PROVIDERS_JSON: the key inline, or named by the variable holding it. */
export const providerEntrySchema = z.object({
  id: z.string().min(1),
  baseURL: z.url(),
  apiKey: z.string().optional(),
  /** Name of the environment variable holding the key, so keys stay out of PROVIDERS_JSON. */
  apiKeyEnv: z.string().min(1).optional(),
});

/** A provider with its key resolved. */
export const providerConfigSchema = z.object({
  id: z.string().min(1),
  baseURL: z.url(),
  apiKey: z.string(),
});

export const modelConfigSchema = z.object({
  id: z
    .string()
    .min(1)
    .regex(/^[A-Za-z0-9._:/-]+$/, "use letters, digits and . _ : / -"),
  provider: z.string().min(1),
  upstream: z.string().min(1).optional(),
  contextWindow: z.number().int().positive().optional(),
  maxOutputTokens: z.number().int().positive().optional(),
  price: z
    .object({ input: usdPerMillion, output: usdPerMillion, cachedInput: usdPerMillion.optional() })
    .optional(),
});

export const providerEntriesSchema = z.array(providerEntrySchema);
export const providersConfigSchema = z.array(providerConfigSchema);
export const modelsConfigSchema = z.array(modelConfigSchema);

export type ProviderEntry = z.infer<typeof providerEntrySchema>;
export type ProviderConfig = z.infer<typeof providerConfigSchema>;
export type ModelConfig = z.infer<typeof modelConfigSchema>;
