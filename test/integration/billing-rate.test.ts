import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestApp, type TestApp } from "../helpers/app.js";
import { billingEnv, tinyPlans } from "../helpers/billing.js";
import { openTestDatabase, type TestDatabase } from "../helpers/database.js";

/** A plan's default rate limit applies to its organizations' keys that set none (BILLING=on). */
describe("plan rate limits", () => {
  let db: TestDatabase;
  let t: TestApp;
  beforeAll(async () => {
    db = await openTestDatabase("pglite");
    const plans = JSON.parse(tinyPlans()).map((p: { id: string }) =>
      p.id === "free" ? { ...p, rate_limit_per_minute: 3 } : p,
    );
    t = await createTestApp(db, {}, { ...billingEnv(), BILLING_PLANS_JSON: JSON.stringify(plans) });
  });
  afterAll(async () => db?.cleanup());

  it("answers 429 past the plan's requests per minute", async () => {
    const { adminKey } = await t.newTenant("Rate Co");
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await t.call("GET", "/v1/knowledge-bases", { key: adminKey })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});
