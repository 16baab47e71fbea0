import { defineConfig } from "vitest/config";

// Two projects (issue 20): `unit` (in-process, no services) and `integration` (real Postgres, Redis,
// engine, browsers). `npm test` runs both; `npx vitest run --project unit` runs one.
// The pool stays at the root on purpose: vitest 3 builds one forks pool from the root's poolOptions
// and every project shares it (a project's own maxForks is ignored), so the whole run keeps at most
// two files at a time on a machine whose couple of cores also serve Postgres and Redis.
// Reporters stay at the root too: .ci/run counts results from .vitest-results.json (both projects).
export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    reporters: ["default", "json"],
    outputFile: { json: ".vitest-results.json" },
    projects: [
      { extends: true, test: { name: "unit", include: ["test/unit/**/*.test.ts"] } },
      { extends: true, test: { name: "integration", include: ["test/integration/**/*.test.ts"] } },
    ],
  },
});
