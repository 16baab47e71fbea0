import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderSdkTypes, SDK_TYPES_PATH } from "../../src/sdk/typescript/scripts/generate.js";

describe("TypeScript SDK types", () => {
  it("are generated from the app's current OpenAPI document (run `npm run console:api` when this fails)", async () => {
    const fresh = await renderSdkTypes();
    expect(
      readFileSync(SDK_TYPES_PATH, "utf8") === fresh,
      "src/sdk/typescript/src/schema.generated.ts is stale",
    ).toBe(true);
    // The hand-written client leans on these schemas.
    for (const name of ["AskSource", "AskUsage", "AskDone", "Document", "KnowledgeBase", "Problem"]) {
      expect(fresh).toContain(`        ${name}: {`);
    }
  });
});
