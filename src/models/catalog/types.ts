/** One model in the built-in price catalog (generated from LiteLLM; see generate.ts). */
export interface CatalogEntry {
  /** The model name the provider's API expects (LiteLLM key without its provider prefix). */
  id: string;
  litellmKey: string;
  /** LiteLLM's provider name (openai, deepseek, dashscope, ...): a hint for which endpoint serves it. */
  provider: string;
  mode: "chat" | "embedding";
  contextWindow: number | null;
  maxOutputTokens: number | null;
  price: {
    inputMicrosPerMillion: number;
    outputMicrosPerMillion: number;
    /** null when LiteLLM lists no cache discount: cached tokens cost the input price. */
    cachedInputMicrosPerMillion: number | null;
  };
  /** LiteLLM's original USD-per-token values, as written in its JSON, for audit. */
  litellmUsdPerToken: { input: string; output: string | null; cachedInput: string | null };
}

export interface CatalogFile {
  _source: { description: string; license: string; upstream: string };
  models: CatalogEntry[];
}
