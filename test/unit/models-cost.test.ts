import { describe, expect, it } from "vitest";
import {
  costMicros,
  formatMicros,
  maxCostMicros,
  type Price,
  scaleDecimal,
  usdPerMillionToMicros,
  usdPerTokenToMicrosPerMillion,
} from "../../src/models/cost.js";

const gpt4o: Price = {
  inputMicrosPerMillion: 2_500_000,
  outputMicrosPerMillion: 10_000_000,
  cachedInputMicrosPerMillion: 1_250_000,
};
const tiny: Price = {
  inputMicrosPerMillion: 50_000,
  outputMicrosPerMillion: 400_000,
  cachedInputMicrosPerMillion: 5_000,
};

/** Deterministic pseudo-random token counts (LCG) so failures reproduce. */
function* counts(n: number, seed = 7) {
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    yield x % 20_000;
  }
}

describe("costMicros", () => {
  it("prices input, cached input and output separately, cached being part of input", () => {
    // 1,000 prompt tokens of which 400 cached, 200 output at gpt-4o prices:
    // 600 × 2.5 + 400 × 1.25 + 200 × 10 = 1500 + 500 + 2000 micros
    expect(costMicros({ inputTokens: 1000, cachedInputTokens: 400, outputTokens: 200 }, gpt4o)).toBe(4000);
  });

  it("rounds half up once per call", () => {
    // 1 token × 50,000 micros/M = 0.05 micros → 0; 10 tokens = 0.5 → 1; 9 tokens = 0.45 → 0
    expect(costMicros({ inputTokens: 1, cachedInputTokens: 0, outputTokens: 0 }, tiny)).toBe(0);
    expect(costMicros({ inputTokens: 10, cachedInputTokens: 0, outputTokens: 0 }, tiny)).toBe(1);
    expect(costMicros({ inputTokens: 9, cachedInputTokens: 0, outputTokens: 0 }, tiny)).toBe(0);
    // components are summed before rounding: 0.45 + 0.4 = 0.85 → 1 (not 0 + 0)
    expect(costMicros({ inputTokens: 9, cachedInputTokens: 0, outputTokens: 1 }, tiny)).toBe(1);
  });

  it("sums many calls to exactly tokens × price when the per-token price is whole micros", () => {
    let total = 0;
    let tokensIn = 0;
    let tokensOut = 0;
    const ins = [...counts(5000, 1)];
    const outs = [...counts(5000, 2)];
    for (let i = 0; i < ins.length; i++) {
      total += costMicros(
        { inputTokens: ins[i]!, cachedInputTokens: 0, outputTokens: outs[i]! },
        {
          inputMicrosPerMillion: 3_000_000,
          outputMicrosPerMillion: 15_000_000,
          cachedInputMicrosPerMillion: 300_000,
        },
      );
      tokensIn += ins[i]!;
      tokensOut += outs[i]!;
    }
    expect(total).toBe(tokensIn * 3 + tokensOut * 15);
  });

  it("matches exact rational arithmetic for fractional per-token prices, where floats mis-round", () => {
    const mini: Price = {
      inputMicrosPerMillion: 150_000,
      outputMicrosPerMillion: 0,
      cachedInputMicrosPerMillion: 0,
    };
    // gpt-4o-mini input, 0.15 micros per token: 50 tokens cost exactly 7.5 micros → 8 (half up)...
    expect(costMicros({ inputTokens: 50, cachedInputTokens: 0, outputTokens: 0 }, mini)).toBe(8);
    // ...while USD floats give 7.499999999999999 and round the other way.
    expect(Math.round(50 * 1.5e-7 * 1e6)).toBe(7);
    let exactSum = 0n;
    let ours = 0;
    for (const t of counts(10_000, 3)) {
      exactSum += (BigInt(t) * 150_000n + 500_000n) / 1_000_000n;
      ours += costMicros({ inputTokens: t, cachedInputTokens: 0, outputTokens: 0 }, mini);
    }
    expect(ours).toBe(Number(exactSum));
  });

  it("stays exact past 2^53 intermediate products", () => {
    const big: Price = {
      inputMicrosPerMillion: 75_000_000,
      outputMicrosPerMillion: 0,
      cachedInputMicrosPerMillion: 0,
    };
    // 3e9 tokens × 75e6 = 2.25e17 > 2^53, result 225,000,000,000 micros
    expect(costMicros({ inputTokens: 3_000_000_001, cachedInputTokens: 0, outputTokens: 0 }, big)).toBe(
      225_000_000_075,
    );
  });

  it("never bills negative input when a provider reports more cached than prompt tokens", () => {
    expect(costMicros({ inputTokens: 10, cachedInputTokens: 50, outputTokens: 0 }, gpt4o)).toBe(13); // 10 × 1.25
  });

  it("rejects fractional or negative token counts", () => {
    expect(() => costMicros({ inputTokens: 1.5, cachedInputTokens: 0, outputTokens: 0 }, gpt4o)).toThrow(
      /inputTokens/,
    );
    expect(() => costMicros({ inputTokens: 1, cachedInputTokens: 0, outputTokens: -1 }, gpt4o)).toThrow(
      /outputTokens/,
    );
  });
});

describe("maxCostMicros", () => {
  it("rounds up so a reservation always covers the call", () => {
    expect(maxCostMicros(1, 0, tiny)).toBe(1); // 0.05 micros → 1
    expect(maxCostMicros(1000, 500, gpt4o)).toBe(2500 + 5000);
    for (const t of counts(200, 9)) {
      const reserved = maxCostMicros(t, 100, tiny);
      expect(reserved).toBeGreaterThanOrEqual(
        costMicros({ inputTokens: t, cachedInputTokens: 0, outputTokens: 100 }, tiny),
      );
    }
  });
});

describe("decimal conversions", () => {
  it("converts LiteLLM USD-per-token strings exactly where float multiplication does not", () => {
    expect(6e-8 * 1e12).toBe(59999.99999999999); // mistral-small's input price, via floats
    expect(usdPerTokenToMicrosPerMillion("6e-08")).toBe(60_000);
    expect(usdPerTokenToMicrosPerMillion("1.1e-06")).toBe(1_100_000);
    expect(usdPerTokenToMicrosPerMillion("2.8e-08")).toBe(28_000);
    expect(usdPerTokenToMicrosPerMillion("5e-09")).toBe(5_000);
    expect(usdPerTokenToMicrosPerMillion("0.0")).toBe(0);
    expect(usdPerTokenToMicrosPerMillion(0.00000015)).toBe(150_000);
  });

  it("converts USD-per-million config values and refuses sub-micro precision", () => {
    expect(usdPerMillionToMicros(2.5)).toBe(2_500_000);
    expect(usdPerMillionToMicros("0.075")).toBe(75_000);
    expect(usdPerMillionToMicros(0)).toBe(0);
    expect(() => usdPerMillionToMicros("0.0000001")).toThrow(/not a whole number/);
    expect(() => usdPerMillionToMicros(-1)).toThrow(/negative/);
    expect(() => scaleDecimal("abc", 0)).toThrow(/not a decimal/);
    expect(scaleDecimal("-1.5e2", 1)).toBe(-1500n);
  });

  it("formats micros as USD", () => {
    expect(formatMicros(1_250)).toBe("0.001250");
    expect(formatMicros(12_345_678)).toBe("12.345678");
  });
});
