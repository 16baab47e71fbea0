import { and, arrayContained, isNotNull, isNull, type SQL, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import type { ApiScope, TenantAuth } from "../context.js";
import { apiKeys } from "../db/schema.js";

/**
 * What a key may do, and whether one key's rights lie within another's: the one place key rights are
 * compared (creating, listing, reading and revoking keys; audit and usage visibility). A key's rights
 * are its scopes (admin implies the others), its knowledge-base restriction (null = all) and its expiry.
 * A key may only hand out, see or revoke keys whose rights are within its own.
 */
export interface KeyRights {
  scopes: readonly string[];
  /** Null: every knowledge base of the tenant. */
  kbIds: readonly string[] | null;
  expiresAt?: Date | null;
}

export const ALL_SCOPES: readonly ApiScope[] = ["admin", "ingest", "query"];

/** Scopes a key effectively holds: admin implies every scope. */
export function effectiveScopes(scopes: readonly string[]): ApiScope[] {
  if (scopes.includes("admin")) return [...ALL_SCOPES];
  return ALL_SCOPES.filter((s) => scopes.includes(s));
}

/** Whether `inner` grants nothing that `outer` lacks. */
export function rightsWithin(inner: KeyRights, outer: KeyRights): boolean {
  const held = effectiveScopes(outer.scopes);
  if (!effectiveScopes(inner.scopes).every((s) => held.includes(s))) return false;
  if (outer.kbIds !== null) {
    if (inner.kbIds === null || !inner.kbIds.every((id) => outer.kbIds!.includes(id))) return false;
  }
  const outerEnd = outer.expiresAt ?? null;
  if (outerEnd !== null) {
    const innerEnd = inner.expiresAt ?? null;
    if (innerEnd === null || innerEnd.getTime() > outerEnd.getTime()) return false;
  }
  return true;
}

/** Why `inner` is not within `outer`, for the 403 message; null when it is. */
export function rightsExcess(inner: KeyRights, outer: KeyRights): string | null {
  const held = effectiveScopes(outer.scopes);
  const extra = effectiveScopes(inner.scopes).filter((s) => !held.includes(s));
  if (extra.length) return `scope(s) ${extra.join(", ")} that this key does not hold`;
  if (outer.kbIds !== null) {
    if (inner.kbIds === null) return "access to every knowledge base, but this key is restricted to some";
    const outside = inner.kbIds.filter((id) => !outer.kbIds!.includes(id));
    if (outside.length) return `knowledge base(s) ${outside.join(", ")} outside this key's restriction`;
  }
  const outerEnd = outer.expiresAt ?? null;
  if (outerEnd !== null) {
    const innerEnd = inner.expiresAt ?? null;
    if (innerEnd === null || innerEnd.getTime() > outerEnd.getTime())
      return `a lifetime past this key's own expiry (${outerEnd.toISOString()})`;
  }
  return null;
}

/** An admin key over every knowledge base that never expires: what a tenant must always keep one of. */
export function isUnrestrictedAdmin(rights: KeyRights): boolean {
  return rights.scopes.includes("admin") && rights.kbIds === null && (rights.expiresAt ?? null) === null;
}

/** SQL: api_keys rows that are unrestricted admin keys still in force. */
export function liveUnrestrictedAdminSql(): SQL {
  return and(
    sql`'admin' = any(${apiKeys.scopes})`,
    isNull(apiKeys.kbIds),
    isNull(apiKeys.expiresAt),
    isNull(apiKeys.revokedAt),
  )!;
}

/**
 * SQL: api_keys rows (of the caller's tenant, which the caller adds) whose rights are within the
 * caller's, so listings page correctly without filtering in memory. Mirrors rightsWithin.
 */
export function keysWithinSql(auth: TenantAuth): SQL | undefined {
  const conds: SQL[] = [];
  const held = effectiveScopes(auth.scopes);
  if (held.length < ALL_SCOPES.length) {
    conds.push(arrayContained(apiKeys.scopes, held));
    conds.push(sql`not ('admin' = any(${apiKeys.scopes}))`);
  }
  if (auth.kbIds !== null) {
    conds.push(isNotNull(apiKeys.kbIds));
    conds.push(arrayContained(apiKeys.kbIds, auth.kbIds.length ? [...auth.kbIds] : [""]));
  }
  const end = auth.expiresAt ?? null;
  if (end !== null) {
    conds.push(isNotNull(apiKeys.expiresAt));
    conds.push(sql`${apiKeys.expiresAt} <= ${end.toISOString()}`);
  }
  return conds.length ? and(...conds) : undefined;
}

/**
 * SQL: rows of a table carrying `kb_ids` (audit log, usage ledger) that a key may see. A key
 * restricted to some knowledge bases sees only rows about those (a row about none is tenant-wide and
 * hidden from it); an unrestricted key sees every row of its tenant.
 */
export function kbRowsVisibleSql(auth: TenantAuth, kbIdsColumn: PgColumn): SQL | undefined {
  if (auth.kbIds === null) return undefined;
  return and(
    sql`cardinality(${kbIdsColumn}) > 0`,
    arrayContained(kbIdsColumn, auth.kbIds.length ? [...auth.kbIds] : [""]),
  );
}

/** Whether a (tenant-bound) key may see a knowledge base; invisible ones are reported as not found. */
export function canSeeKb(auth: { kbIds: readonly string[] | null }, kbId: string): boolean {
  return auth.kbIds === null || auth.kbIds.includes(kbId);
}
