import { defineConfig } from "vitest/config";

// Integration tests share one machine's Postgres/Redis and a couple of cores: run files in a small
// pool and give real services room to answer.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    reporters: ["default", "json"],
    outputFile: { json: ".vitest-results.json" },
  },
});
