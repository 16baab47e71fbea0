import { scaleDecimal } from "../../models/cost.js";

/**
 * Fen (CNY cents) for an amount in micro-dollars at the operator's fixed rate (a decimal string with up
 * to 6 places), rounded half up: integer arithmetic, so a top-up is never off by a float's error.
 * Alipay wants yuan ("72.00"), WeChat Pay wants fen (7200).
 */
export function fenOf(amountMicros: number, cnyPerUsd: string): number {
  return Number((BigInt(amountMicros) * scaleDecimal(cnyPerUsd, 6) + 5_000_000_000n) / 10_000_000_000n);
}
