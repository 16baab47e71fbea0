import { describe, expect, it } from "vitest";
import { chargeOf, DEFAULT_PLANS, markupPpm } from "../../src/billing/plans.js";
import { ConfigError, parseConfig } from "../../src/config.js";

describe("plan catalog in configuration", () => {
  it("defaults to free, pro and enterprise with free as the default plan", () => {
    const c = parseConfig({});
    expect(c.plans.plans.map((p) => p.id)).toEqual(["free", "pro", "enterprise"]);
    expect(c.plans.defaultPlanId).toBe("free");
    expect(c.BILLING).toBe("off");
  });

  it("fails at start on a bad catalog, naming the field", () => {
    const bad = JSON.stringify([
      { ...DEFAULT_PLANS[0], quotas: { ...DEFAULT_PLANS[0]!.quotas, documents: -1 } },
    ]);
    expect(() => parseConfig({ BILLING_PLANS_JSON: bad })).toThrow(
      /BILLING_PLANS_JSON\.0\.quotas\.documents/,
    );
    expect(() => parseConfig({ BILLING_PLANS_JSON: "[" })).toThrow(ConfigError);
    expect(() => parseConfig({ BILLING_DEFAULT_PLAN: "gold" })).toThrow(/BILLING_DEFAULT_PLAN/);
    const twice = JSON.stringify([DEFAULT_PLANS[0], DEFAULT_PLANS[0]]);
    expect(() => parseConfig({ BILLING_PLANS_JSON: twice })).toThrow(/appears twice/);
  });

  it("charges cost × markup in integer micro-dollars", () => {
    const plan = { ...DEFAULT_PLANS[1]!, markup: { default: 1.25, models: { "gpt-4o": 2 } } };
    expect(chargeOf(1_000_001, markupPpm(plan, "x"))).toBe(1_250_001);
    expect(chargeOf(333, markupPpm(plan, "gpt-4o"))).toBe(666);
    expect(chargeOf(3, 1_500_000)).toBe(5);
  });
});
