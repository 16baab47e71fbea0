import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { generateCatalog } from "../../src/models/catalog/generate.js";
import { builtinCatalog, catalogPrice, findCatalogEntry } from "../../src/models/catalog/index.js";
import { usdPerTokenToMicrosPerMillion } from "../../src/models/cost.js";

// ../shared sits beside the repository on developer machines and in CI (see DEVELOPERS.md).
const PRICES_DIR = process.env.PRICES_DIR ?? resolve(process.cwd(), "../shared/data/prices");
const LITELLM = `${PRICES_DIR}/model_prices_and_context_window.json`;

describe("built-in price catalog", () => {
  const chat = builtinCatalog.models.filter((m) => m.mode === "chat");
  const embed = builtinCatalog.models.filter((m) => m.mode === "embedding");

  it("has at least 20 chat models across providers and the OpenAI embedding models", () => {
    expect(chat.length).toBeGreaterThanOrEqual(20);
    expect(new Set(chat.map((m) => m.provider)).size).toBeGreaterThanOrEqual(8);
    for (const id of [
      "gpt-4o",
      "gpt-4o-mini",
      "gpt-4.1-nano",
      "o3-mini",
      "deepseek-chat",
      "qwen-max",
      "anthropic/claude-sonnet-4",
    ]) {
      expect(findCatalogEntry(builtinCatalog, id), id).toBeDefined();
    }
    expect(embed.map((m) => m.id)).toEqual(
      expect.arrayContaining(["text-embedding-3-small", "text-embedding-3-large"]),
    );
  });

  it("stores integer micro-dollar prices that equal the recorded LiteLLM decimals", () => {
    for (const m of builtinCatalog.models) {
      expect(Number.isSafeInteger(m.price.inputMicrosPerMillion)).toBe(true);
      expect(m.price.inputMicrosPerMillion).toBe(usdPerTokenToMicrosPerMillion(m.litellmUsdPerToken.input));
      if (m.litellmUsdPerToken.output !== null) {
        expect(m.price.outputMicrosPerMillion).toBe(
          usdPerTokenToMicrosPerMillion(m.litellmUsdPerToken.output),
        );
      }
    }
    expect(findCatalogEntry(builtinCatalog, "gpt-4o")?.price).toEqual({
      inputMicrosPerMillion: 2_500_000,
      outputMicrosPerMillion: 10_000_000,
      cachedInputMicrosPerMillion: 1_250_000,
    });
    expect(builtinCatalog._source.license).toMatch(/MIT/);
  });

  it("falls back to the input price for cached tokens when LiteLLM lists no discount", () => {
    const qwen = findCatalogEntry(builtinCatalog, "dashscope/qwen-max")!;
    expect(qwen.price.cachedInputMicrosPerMillion).toBeNull();
    expect(catalogPrice(qwen).cachedInputMicrosPerMillion).toBe(qwen.price.inputMicrosPerMillion);
  });

  it("matches LiteLLM's price map and is what the generator produces today", () => {
    const text = readFileSync(LITELLM, "utf8");
    const map = JSON.parse(text) as Record<string, Record<string, number>>;
    for (const m of builtinCatalog.models) {
      const raw = map[m.litellmKey]!;
      // compare as numbers, independent of our decimal parsing: micros/M = USD/token × 10^12
      expect(m.price.inputMicrosPerMillion).toBeCloseTo(raw.input_cost_per_token! * 1e12, 3);
      expect(m.price.outputMicrosPerMillion).toBeCloseTo((raw.output_cost_per_token ?? 0) * 1e12, 3);
      expect(m.contextWindow).toBe(raw.max_input_tokens);
    }
    const source = readFileSync(`${PRICES_DIR}/SOURCE.txt`, "utf8");
    expect(generateCatalog(text, source)).toEqual(builtinCatalog);
  });
});
