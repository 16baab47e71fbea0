import { describe, expect, it } from "vitest";
import { builtinCatalog } from "../../src/models/catalog/index.js";
import { FREE } from "../../src/models/cost.js";
import { createModelRegistry, modelsConfigSchema, providersConfigSchema } from "../../src/models/registry.js";

const providers = [
  { id: "openai", baseURL: "https://api.openai.com/v1", apiKey: "sk-a" },
  { id: "deepseek", baseURL: "https://api.deepseek.com/v1", apiKey: "sk-b" },
  { id: "local", baseURL: "http://127.0.0.1:8000/v1", apiKey: "" },
];

describe("model registry", () => {
  it("takes prices and limits from the catalog, lets config override, and always has extractive", () => {
    const reg = createModelRegistry({
      providers,
      catalog: builtinCatalog,
      models: [
        { id: "gpt-4o-mini", provider: "openai" },
        { id: "fast", provider: "deepseek", upstream: "deepseek-chat", price: { input: 0.1, output: "0.2" } },
        {
          id: "qwen-local",
          provider: "local",
          upstream: "qwen2.5-7b",
          contextWindow: 32768,
          price: { input: 0, output: 0 },
        },
      ],
    });
    expect(reg.list().map((m) => m.id)).toEqual(["gpt-4o-mini", "fast", "qwen-local", "extractive"]);
    expect(reg.defaultModelId).toBe("gpt-4o-mini");
    expect(reg.get("gpt-4o-mini")?.info).toMatchObject({
      upstream: "gpt-4o-mini",
      contextWindow: 128000,
      priceSource: "catalog",
      price: {
        inputMicrosPerMillion: 150_000,
        outputMicrosPerMillion: 600_000,
        cachedInputMicrosPerMillion: 75_000,
      },
    });
    // config wins; the cache price still comes from the catalog when config leaves it out
    expect(reg.get("fast")?.info).toMatchObject({
      priceSource: "config",
      contextWindow: 131072,
      price: {
        inputMicrosPerMillion: 100_000,
        outputMicrosPerMillion: 200_000,
        cachedInputMicrosPerMillion: 28_000,
      },
    });
    expect(reg.get("qwen-local")?.info.contextWindow).toBe(32768);
    expect(reg.get("extractive")?.info).toMatchObject({
      price: FREE,
      priceSource: "free",
      provider: "offline",
    });
    expect(reg.get("extractive")?.chat.id).toBe("extractive");
    expect(reg.get("fast")?.chat.id).toBe("fast");
    expect(reg.get("nope")).toBeUndefined();
  });

  it("defaults to extractive with no configured models, or to the named default", () => {
    expect(createModelRegistry({ providers: [], models: [], catalog: builtinCatalog }).defaultModelId).toBe(
      "extractive",
    );
    const reg = createModelRegistry({
      providers,
      catalog: builtinCatalog,
      models: [
        { id: "gpt-4o", provider: "openai" },
        { id: "o3-mini", provider: "openai" },
      ],
      default: "o3-mini",
    });
    expect(reg.defaultModelId).toBe("o3-mini");
  });

  it("fails fast with actionable messages", () => {
    const make =
      (models: unknown[], extra: { default?: string } = {}) =>
      () =>
        createModelRegistry({ providers, catalog: builtinCatalog, models: models as never, ...extra });
    expect(make([{ id: "mystery", provider: "local" }])).toThrow(
      /not in the built-in price catalog.*"price"/,
    );
    expect(make([{ id: "gpt-4o", provider: "azure" }])).toThrow(
      /provider "azure".*defined: openai, deepseek, local/,
    );
    expect(
      make([
        { id: "gpt-4o", provider: "openai" },
        { id: "gpt-4o", provider: "openai" },
      ]),
    ).toThrow(/twice/);
    expect(make([{ id: "extractive", provider: "openai" }])).toThrow(/reserved/);
    expect(make([{ id: "gpt-4o", provider: "openai" }], { default: "gpt-5" })).toThrow(
      /default model "gpt-5"/,
    );
  });

  it("validates the env JSON shapes with zod", () => {
    expect(providersConfigSchema.safeParse([{ id: "x", baseURL: "not a url", apiKey: "" }]).success).toBe(
      false,
    );
    expect(
      modelsConfigSchema.safeParse([{ id: "m", provider: "x", price: { input: -1, output: 1 } }]).success,
    ).toBe(false);
    expect(
      modelsConfigSchema.parse(JSON.parse('[{"id":"m","provider":"x","price":{"input":"0.5","output":2}}]')),
    ).toHaveLength(1);
  });
});
