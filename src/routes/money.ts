import { z } from "@hono/zod-openapi";
import { formatMicros, scaleDecimal } from "../models/cost.js";

/**
 * The API's one money shape: an integer `*_micros` (exact, what the ledger holds) beside a decimal
 * string `*_usd` with six places (exact too, and safe for any JSON parser). Inputs in USD take a
 * number or a decimal string.
 */
export const UsdString = z
  .string()
  .regex(/^-?\d+\.\d{6}$/)
  .openapi({ description: "USD as a decimal string with six places (exact).", example: "0.012345" });

export const usd = (micros: number): string => formatMicros(micros);
export const usdOrNull = (micros: number | null): string | null => (micros === null ? null : usd(micros));

/** A USD amount given by a person: 12.5 or "12.50" (at most six decimal places), never negative. */
export const UsdInput = z
  .union([
    z.number().min(0).max(10_000_000),
    z.string().regex(/^\d{1,8}(\.\d{1,6})?$/, "a decimal amount such as 12.50 (at most six decimal places)"),
  ])
  .openapi({ description: 'USD, as a number or a decimal string (e.g. "25.00").' });

/** USD as given (number or decimal string) in integer micro-dollars. */
export function usdToMicros(value: number | string): number {
  if (typeof value === "number") return Math.round(value * 1e6);
  return Number(scaleDecimal(value, 6));
}
