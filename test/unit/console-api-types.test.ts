import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { GENERATED_PATH, renderApiTypes } from "../../src/console/api/generate.js";

describe("console API types", () => {
  it("are generated from the app's current OpenAPI document (run `npm run console:api` when this fails)", async () => {
    const fresh = await renderApiTypes();
    expect(
      readFileSync(GENERATED_PATH, "utf8") === fresh,
      "src/console/api/schema.generated.ts is stale",
    ).toBe(true);
    // The types cover the routes the console calls.
    for (const path of ["/v1/knowledge-bases", "/v1/ask", "/v1/usage", "/v1/documents/{id}/events"]) {
      expect(fresh).toContain(`"${path}"`);
    }
  });
});
