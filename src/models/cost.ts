/**
 * Cost arithmetic in integer micro-dollars (1 USD = 1,000,000 micros).
 *
 * Prices are held as integer micro-dollars per million tokens, so a token count times a price is an
 * exact integer product; the only rounding is the final division by 1,000,000. Products are computed
 * with BigInt because tokens × price can pass 2^53 (e.g. 10^9 tokens at 7.5 × 10^7 micros/M).
 *
 * Rounding rule (one rounding per call, never per component):
 *   costMicros    = round-half-up( Σ tokens_i × price_i / 10^6 )   — what a call is billed
 *   maxCostMicros = ceil( Σ tokens_i × price_i / 10^6 )            — a reservation never under-covers
 */

/** Price of a model, integer micro-dollars per million tokens. */
export interface Price {
  inputMicrosPerMillion: number;
  outputMicrosPerMillion: number;
  /** Price of prompt tokens served from the provider's cache; equal to input when there is no discount. */
  cachedInputMicrosPerMillion: number;
}

export interface TokenUsage {
  /** All prompt tokens, including the cached ones (as OpenAI reports `prompt_tokens`). */
  inputTokens: number;
  outputTokens: number;
  /** The part of inputTokens served from cache; billed at the cached price instead of the input price. */
  cachedInputTokens: number;
}

export const FREE: Price = {
  inputMicrosPerMillion: 0,
  outputMicrosPerMillion: 0,
  cachedInputMicrosPerMillion: 0,
};

const MILLION = 1_000_000n;

function count(name: string, n: number): bigint {
  if (!Number.isSafeInteger(n) || n < 0)
    throw new RangeError(`${name} must be a non-negative integer, got ${n}`);
  return BigInt(n);
}

/** Exact numerator of a cost in micro-dollars × 10^6 (i.e. in millionths of a micro-dollar). */
function scaledCost(usage: TokenUsage, price: Price): bigint {
  const input = count("inputTokens", usage.inputTokens);
  const cached = count("cachedInputTokens", usage.cachedInputTokens);
  const output = count("outputTokens", usage.outputTokens);
  // A provider reporting more cached than total prompt tokens is wrong; never bill negative input.
  // biome-ignore lint/complexity/useMathMinMax: Math.min does not accept BigInt
  const cachedBilled = cached > input ? input : cached;
  return (
    (input - cachedBilled) * count("input price", price.inputMicrosPerMillion) +
    cachedBilled * count("cached input price", price.cachedInputMicrosPerMillion) +
    output * count("output price", price.outputMicrosPerMillion)
  );
}

function toNumber(micros: bigint): number {
  if (micros > BigInt(Number.MAX_SAFE_INTEGER))
    throw new RangeError(`cost ${micros} micros exceeds safe range`);
  return Number(micros);
}

/** Micro-dollars billed for one call, rounded half up. */
export function costMicros(usage: TokenUsage, price: Price): number {
  return toNumber((scaledCost(usage, price) + MILLION / 2n) / MILLION);
}

/** Upper bound for a call before it runs: the whole prompt at the input price plus maxTokens of output, rounded up. */
export function maxCostMicros(promptTokens: number, maxTokens: number, price: Price): number {
  const scaled = scaledCost(
    { inputTokens: promptTokens, cachedInputTokens: 0, outputTokens: maxTokens },
    price,
  );
  return toNumber((scaled + MILLION - 1n) / MILLION);
}

/**
 * Scales a decimal written as a string (plain or exponent form, e.g. "2.5", "1.25e-07") by 10^shift
 * and returns it as an exact integer; throws when the result would have a fractional part.
 * Parsing the digits avoids float error: 1.1e-06 * 1e12 is 1100000.0000000002 in floating point.
 */
export function scaleDecimal(value: string, shift: number): bigint {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(value.trim());
  if (!m || (m[2] === "" && (m[3] ?? "") === "")) throw new Error(`not a decimal number: "${value}"`);
  const [, sign, intPart = "", fracPart = "", exp = "0"] = m;
  const digits = (intPart + fracPart).replace(/^0+(?=\d)/, "");
  const pow = Number(exp) + shift - fracPart.length;
  let result: bigint;
  if (pow >= 0) result = BigInt(digits) * 10n ** BigInt(pow);
  else {
    const divisor = 10n ** BigInt(-pow);
    const n = BigInt(digits);
    if (n % divisor !== 0n) throw new Error(`"${value}" × 10^${shift} is not a whole number`);
    result = n / divisor;
  }
  return sign === "-" ? -result : result;
}

/** USD per million tokens (as configured by people, e.g. 2.5 or "0.15") → integer micros per million. */
export function usdPerMillionToMicros(usd: number | string): number {
  const micros = scaleDecimal(typeof usd === "number" ? String(usd) : usd, 6);
  if (micros < 0n) throw new RangeError(`price must not be negative, got ${usd}`);
  return toNumber(micros);
}

/** USD per token (LiteLLM's unit, e.g. "2.5e-06") → integer micros per million tokens. */
export function usdPerTokenToMicrosPerMillion(usd: number | string): number {
  return toNumber(scaleDecimal(typeof usd === "number" ? String(usd) : usd, 12));
}

/** Micro-dollars as a USD decimal string with six places, for display ("0.001250"). */
export function formatMicros(micros: number): string {
  const sign = micros < 0 ? "-" : "";
  const abs = BigInt(Math.abs(micros));
  return `${sign}${abs / MILLION}.${(abs % MILLION).toString().padStart(6, "0")}`;
}
