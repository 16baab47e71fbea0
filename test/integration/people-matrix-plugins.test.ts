import { resolve } from "node:path";
import { describe } from "vitest";
import { type Case, describeMatrix } from "../helpers/role-matrix.js";

/** The role matrix for an organization's plugins (issue 19); installing them is the platform's (people file). */
const cases = (): Case[] => [
  { method: "GET", path: () => "/v1/plugins", need: "admin", scoped: false },
  {
    method: "PUT",
    path: (i) => `/v1/plugins/${i.plugin}`,
    need: "admin",
    body: () => ({ enabled: false }),
    scoped: false,
  },
];

describe("role-by-route matrix: plugins", () => {
  describeMatrix("plugins", cases, {
    // Installed once for the platform (organization B's seed finds it installed: 409, which is fine).
    seed: async (w) => {
      await w.t.call("POST", "/v1/platform/plugins", {
        body: { folder: resolve("fixtures/plugins/example-footer") },
      });
      return {};
    },
  });
});
