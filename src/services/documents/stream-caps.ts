import type { TenantAuth } from "../../context.js";
import { LimitExceededError, type ServiceError } from "../errors.js";

/**
 * Open document event streams per key and per tenant in this process (MAX_STREAMS_PER_KEY,
 * MAX_STREAMS_PER_TENANT; 0 = no cap). Each stream holds a connection and memory, so one client
 * cannot hold them all.
 */
export class StreamCaps {
  private readonly perKey = new Map<string, number>();
  private readonly perTenant = new Map<string, number>();

  constructor(private readonly limits: { perKey: number; perTenant: number }) {}

  /** Takes a slot or throws 429 naming the cap; the returned function gives it back (once). */
  acquire(auth: TenantAuth): () => void {
    const k = this.perKey.get(auth.keyId) ?? 0;
    const t = this.perTenant.get(auth.tenantId) ?? 0;
    if (this.limits.perKey > 0 && k >= this.limits.perKey)
      throw capped("MAX_STREAMS_PER_KEY", this.limits.perKey, "API key");
    if (this.limits.perTenant > 0 && t >= this.limits.perTenant)
      throw capped("MAX_STREAMS_PER_TENANT", this.limits.perTenant, "tenant");
    this.perKey.set(auth.keyId, k + 1);
    this.perTenant.set(auth.tenantId, t + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      decrement(this.perKey, auth.keyId);
      decrement(this.perTenant, auth.tenantId);
    };
  }
}

function decrement(map: Map<string, number>, key: string): void {
  const n = (map.get(key) ?? 1) - 1;
  if (n <= 0) map.delete(key);
  else map.set(key, n);
}

function capped(name: string, cap: number, who: string): ServiceError {
  return new LimitExceededError(
    "rate_limited",
    `This ${who} already has ${cap} document event streams open (${name} = ${cap}). Close one, or follow documents with GET /v1/documents/{id} instead.`,
    { retryAfterSeconds: 5, data: { cap: name, limit: cap } },
  );
}

const caps = new WeakMap<object, StreamCaps>();

export function streamCapsFor(deps: {
  database: object;
  config: { MAX_STREAMS_PER_KEY: number; MAX_STREAMS_PER_TENANT: number };
}): StreamCaps {
  let c = caps.get(deps.database);
  if (!c) {
    c = new StreamCaps({
      perKey: deps.config.MAX_STREAMS_PER_KEY,
      perTenant: deps.config.MAX_STREAMS_PER_TENANT,
    });
    caps.set(deps.database, c);
  }
  return c;
}
