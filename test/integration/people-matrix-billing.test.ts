import { describe } from "vitest";
import { type Case, describeMatrix, type World } from "../helpers/role-matrix.js";

/** The role matrix for /v1/billing (issue 16): the `billing` and `owner` roles manage money. */
const cases = (w: World): Case[] => [
  { method: "GET", path: () => "/v1/billing/plan", need: "billing.manage", scoped: false },
  { method: "GET", path: () => "/v1/billing/plans", need: "billing.manage", scoped: false },
  { method: "GET", path: () => "/v1/billing/quota", need: "billing.manage", scoped: false },
  { method: "GET", path: () => "/v1/billing/wallet", need: "billing.manage", scoped: false },
  {
    method: "POST",
    path: () => "/v1/billing/redeem",
    need: "billing.manage",
    // A fresh code per allowed role: codes are single use. Roles without the right send a dud.
    fresh: async () => {
      const r = await w.t.call("POST", "/v1/platform/redemption-codes", {
        body: { count: 1, amount_usd: "2.00" },
      });
      return { key: r.body.codes[0] as string };
    },
    body: (i) => ({ code: i.key.startsWith("AIH-") ? i.key : "AIH-NOPE-NOPE-NOPE-NOPE" }),
    scoped: false,
  },
];

describe("role-by-route matrix: billing", () => {
  describeMatrix("billing", cases);
});
