import { wrongInput } from "./errors.js";

/** A Qdrant point id: an unsigned integer or a UUID (stored lowercase and hyphenated, as Qdrant returns it). */
export type PointId = number | string;

const HYPHENATED = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SIMPLE = /^[0-9a-f]{32}$/i;

export function parsePointId(raw: unknown): PointId {
  if (typeof raw === "number") {
    if (Number.isSafeInteger(raw) && raw >= 0) return raw;
    throw wrongInput(`point id must be an unsigned integer or a UUID, got ${raw}`);
  }
  if (typeof raw === "string") {
    if (HYPHENATED.test(raw)) return raw.toLowerCase();
    if (SIMPLE.test(raw)) {
      const s = raw.toLowerCase();
      return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
    }
    throw wrongInput(`Unable to parse UUID: ${raw}`);
  }
  throw wrongInput(`point id must be an unsigned integer or a UUID, got ${JSON.stringify(raw)}`);
}

/** Qdrant orders integer ids before UUIDs; within a kind, numerically or lexically. */
export function comparePointIds(a: PointId, b: PointId): number {
  if (typeof a === "number") return typeof b === "number" ? a - b : -1;
  if (typeof b === "number") return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}
