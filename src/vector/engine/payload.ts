/** Payload access with Qdrant's key semantics: dot paths into objects, arrays flattened along the way. */
export type Payload = Record<string, unknown>;

/** Compiles "meta.year" into a getter returning every value found at that path (arrays flattened). */
export function pathGetter(key: string): (payload: Payload) => unknown[] {
  const parts = key.split(".").map((p) => (p.endsWith("[]") ? p.slice(0, -2) : p));
  return (payload) => {
    let current: unknown[] = [payload];
    for (const part of parts) {
      const next: unknown[] = [];
      for (const node of current) {
        if (node === null || typeof node !== "object" || Array.isArray(node)) continue;
        // Own keys only: `constructor` or `toString` must not find Object.prototype's members.
        if (!Object.hasOwn(node, part)) continue;
        const value = (node as Record<string, unknown>)[part];
        if (value === undefined) continue;
        if (Array.isArray(value)) next.push(...value);
        else next.push(value);
      }
      if (next.length === 0) return next;
      current = next;
    }
    return current;
  };
}

/** True when the raw value at the key is missing, null or an empty array (Qdrant's is_empty). */
export function isEmptyAt(payload: Payload, key: string): boolean {
  const values = pathGetter(key)(payload);
  return values.length === 0 || values.every((v) => v === null);
}

/** Applies `with_payload`: true/false, a list of keys to include, or {include}/{exclude}. */
export function selectPayload(payload: Payload, selector: unknown): Payload | null {
  if (selector === false || selector === undefined || selector === null) return null;
  if (selector === true) return payload;
  if (Array.isArray(selector)) return pick(payload, selector as string[]);
  const sel = selector as { include?: string[]; exclude?: string[] };
  if (Array.isArray(sel.include)) return pick(payload, sel.include);
  if (Array.isArray(sel.exclude)) {
    // Copy what stays rather than delete from a copy: deleting turns an object into a slow dictionary.
    const drop = new Set(sel.exclude.map((key) => key.split(".")[0]!));
    const out: Payload = {};
    for (const key of Object.keys(payload)) if (!drop.has(key)) setOwn(out, key, payload[key]);
    return out;
  }
  return payload;
}

function pick(payload: Payload, keys: string[]): Payload {
  const out: Payload = {};
  for (const key of keys) {
    const top = key.split(".")[0]!;
    if (key === top) {
      if (Object.hasOwn(payload, top)) setOwn(out, top, payload[top]);
      continue;
    }
    // Nested include ("meta.year"): keep only that branch, rebuilding the parent objects.
    const parts = key.split(".");
    let src: unknown = payload;
    for (const part of parts) {
      if (src === null || typeof src !== "object" || !Object.hasOwn(src, part)) {
        src = undefined;
        break;
      }
      src = (src as Record<string, unknown>)[part];
    }
    if (src === undefined) continue;
    let dst = out as Record<string, unknown>;
    for (const part of parts.slice(0, -1)) {
      if (!Object.hasOwn(dst, part) || typeof dst[part] !== "object" || dst[part] === null)
        setOwn(dst, part, {});
      dst = dst[part] as Record<string, unknown>;
    }
    setOwn(dst, parts[parts.length - 1]!, src);
  }
  return out;
}

/** `obj[key] = value`, except that `__proto__` becomes an own key instead of replacing the prototype. */
function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  } else obj[key] = value;
}
