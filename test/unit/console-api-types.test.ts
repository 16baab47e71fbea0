import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SDK_TYPES_PATH } from "../../src/sdk/typescript/scripts/generate.js";

/**
 * The console takes its API types from the TypeScript SDK's generated file (its freshness is checked by
 * sdk-types.test.ts), so there is one generated copy of the API's types, not two.
 */
describe("console API types", () => {
  const consoleFiles = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? consoleFiles(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
    );

  it("come from the SDK's generated file; the console keeps no generated copy of its own", () => {
    const files = consoleFiles("src/console");
    expect(files.filter((f) => f.endsWith("schema.generated.ts"))).toEqual([]);
    const importers = files.filter((f) =>
      readFileSync(f, "utf8").includes("sdk/typescript/src/schema.generated"),
    );
    expect(importers).toEqual(expect.arrayContaining([join("src/console/api/client.ts")]));
  });

  it("cover the routes the console calls", () => {
    expect(existsSync(SDK_TYPES_PATH)).toBe(true);
    const types = readFileSync(SDK_TYPES_PATH, "utf8");
    for (const path of [
      "/v1/knowledge-bases",
      "/v1/ask",
      "/v1/usage",
      "/v1/documents/{id}/events",
      "/v1/billing/quota",
    ]) {
      expect(types).toContain(`"${path}"`);
    }
  });
});
