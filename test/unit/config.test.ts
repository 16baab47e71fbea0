import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../src/config.js";
import { modelRegistryFromConfig } from "../../src/runtime/models.js";

const PROVIDERS = JSON.stringify([
  { id: "stub", baseURL: "http://127.0.0.1:9/v1", apiKeyEnv: "STUB_PROVIDER_KEY" },
  { id: "local", baseURL: "http://127.0.0.1:11434/v1" },
]);
const MODELS = JSON.stringify([
  { id: "fast", provider: "stub", upstream: "gpt-4o-mini" },
  { id: "llama", provider: "local", price: { input: 0, output: 0 } },
]);

function configError(env: Record<string, string>): string {
  try {
    parseConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error("parseConfig accepted the environment");
}

describe("config: providers and models are parsed at start with the rest", () => {
  it("parses PROVIDERS_JSON and MODELS_JSON into the config", () => {
    const config = parseConfig({
      PROVIDERS_JSON: PROVIDERS,
      MODELS_JSON: MODELS,
      STUB_PROVIDER_KEY: "sk-stub",
    });
    expect(config.chatProviders).toEqual([
      { id: "stub", baseURL: "http://127.0.0.1:9/v1", apiKeyEnv: "STUB_PROVIDER_KEY" },
      { id: "local", baseURL: "http://127.0.0.1:11434/v1" },
    ]);
    expect(config.chatModels.map((m) => m.id)).toEqual(["fast", "llama"]);
    const registry = modelRegistryFromConfig(config);
    expect(registry.list().map((m) => m.id)).toEqual(["fast", "llama", "extractive"]);
    expect(registry.defaultModelId).toBe("fast");
  });

  it("without them: no providers, no models, and the registry holds only the offline model", () => {
    const config = parseConfig({});
    expect(config.chatProviders).toEqual([]);
    expect(config.chatModels).toEqual([]);
    expect(
      modelRegistryFromConfig(config)
        .list()
        .map((m) => m.id),
    ).toEqual(["extractive"]);
  });

  it("config.secrets holds only the variables a provider names, not the environment", () => {
    const env = {
      PROVIDERS_JSON: PROVIDERS,
      MODELS_JSON: MODELS,
      STUB_PROVIDER_KEY: "sk-stub",
      OTHER_SECRET: "not-for-the-app",
      PATH: "/usr/bin",
    };
    expect(parseConfig(env).secrets).toEqual({ STUB_PROVIDER_KEY: "sk-stub" });
    expect(parseConfig({ PATH: "/usr/bin", HOME: "/root" }).secrets).toEqual({});
  });

  it("bad JSON stops the start with a message naming the variable", () => {
    const message = configError({ PROVIDERS_JSON: '[{"id":"stub",' });
    expect(message).toMatch(/^Invalid configuration:\n {2}PROVIDERS_JSON is not valid JSON: /);
    expect(message).toMatch(/See the configuration table in README\.md\.$/);
    expect(configError({ MODELS_JSON: "{not json" })).toMatch(/MODELS_JSON is not valid JSON/);
  });

  it("JSON of the wrong shape names the variable and the field", () => {
    expect(configError({ PROVIDERS_JSON: JSON.stringify([{ id: "x", baseURL: "not a url" }]) })).toMatch(
      /PROVIDERS_JSON is invalid:[\s\S]*baseURL/,
    );
    expect(
      configError({
        MODELS_JSON: JSON.stringify([{ id: "m", provider: "x", price: { input: -1, output: 1 } }]),
      }),
    ).toMatch(/MODELS_JSON is invalid:[\s\S]*price\.input/);
    expect(configError({ MODELS_JSON: JSON.stringify({ id: "m" }) })).toMatch(/MODELS_JSON is invalid/);
  });

  it("a provider whose apiKeyEnv is unset (or empty) stops the start", () => {
    for (const value of [undefined, ""]) {
      const env: Record<string, string> = { PROVIDERS_JSON: PROVIDERS, MODELS_JSON: MODELS };
      if (value !== undefined) env.STUB_PROVIDER_KEY = value;
      expect(configError(env)).toMatch(
        /provider "stub" reads its key from STUB_PROVIDER_KEY \(apiKeyEnv\), which is not set/,
      );
    }
  });
});

describe("config: plugin settings (issue 19)", () => {
  it("PLUGIN_ALLOW_PRIVATE_HOSTS defaults to false, and its former name CONNECTOR_ALLOW_PRIVATE_HOSTS still works", () => {
    expect(parseConfig({}).PLUGIN_ALLOW_PRIVATE_HOSTS).toBe(false);
    expect(parseConfig({ PLUGIN_ALLOW_PRIVATE_HOSTS: "true" }).PLUGIN_ALLOW_PRIVATE_HOSTS).toBe(true);
    expect(parseConfig({ CONNECTOR_ALLOW_PRIVATE_HOSTS: "true" }).PLUGIN_ALLOW_PRIVATE_HOSTS).toBe(true);
    expect(
      parseConfig({ PLUGIN_ALLOW_PRIVATE_HOSTS: "yes", CONNECTOR_ALLOW_PRIVATE_HOSTS: "1" })
        .PLUGIN_ALLOW_PRIVATE_HOSTS,
    ).toBe(true);
    expect(
      configError({ PLUGIN_ALLOW_PRIVATE_HOSTS: "false", CONNECTOR_ALLOW_PRIVATE_HOSTS: "true" }),
    ).toMatch(/PLUGIN_ALLOW_PRIVATE_HOSTS and its former name CONNECTOR_ALLOW_PRIVATE_HOSTS disagree/);
  });

  it("PLUGIN_POOL_SIZE defaults to 2 and must be 1 to 16", () => {
    expect(parseConfig({}).PLUGIN_POOL_SIZE).toBe(2);
    expect(parseConfig({ PLUGIN_POOL_SIZE: "1" }).PLUGIN_POOL_SIZE).toBe(1);
    expect(configError({ PLUGIN_POOL_SIZE: "0" })).toContain("PLUGIN_POOL_SIZE");
    expect(configError({ PLUGIN_POOL_SIZE: "17" })).toContain("PLUGIN_POOL_SIZE");
  });
});
