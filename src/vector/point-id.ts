import { createHash } from "node:crypto";

/** Namespace for chunk point ids (a fixed random UUID; changing it would orphan every stored point). */
const NAMESPACE = Buffer.from("6f1c2b8e4d7a4e0f9b3c5a1d2e8f7c60", "hex");

/**
 * Deterministic point id for a chunk: a name-based (version 5, SHA-1) UUID of tenant, document version
 * and chunk ordinal, so re-upserting a document version overwrites its points instead of duplicating
 * them. The tenant is part of the name so two tenants can never address the same point.
 */
export function chunkPointId(tenantId: string, docVersion: string, chunk: number): string {
  const hash = createHash("sha1")
    .update(NAMESPACE)
    .update(`${tenantId}\u0000${docVersion}\u0000${chunk}`)
    .digest();
  const b = hash.subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = b.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
