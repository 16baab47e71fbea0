import type { Db } from "../../db/client.js";
import { auditLog } from "../../db/schema.js";
import { newId } from "../../ids.js";

export interface AuditEntry {
  tenantId: string | null;
  actorKeyId: string | null;
  /** The person acting (signed in, or the member whose key acted). */
  actorUserId?: string | null;
  action: string;
  resourceType: string;
  resourceId: string;
  /** The knowledge bases this entry is about (empty: tenant-wide, shown only to unrestricted keys). */
  kbIds?: string[];
  detail?: Record<string, unknown>;
  requestId?: string | null;
}

/** Appends one audit row; call it inside the same transaction as the change it records. */
export async function recordAudit(db: Db, entry: AuditEntry): Promise<void> {
  await recordAudits(db, [entry]);
}

/** Many entries in one INSERT (a bulk import audits every document it creates). */
export async function recordAudits(db: Db, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db.insert(auditLog).values(entries.map(auditRow));
}

/** The row of one entry (for a statement that writes it together with the change it records). */
export function auditRow(entry: AuditEntry) {
  return {
    id: newId("aud"),
    tenantId: entry.tenantId,
    actorKeyId: entry.actorKeyId,
    actorUserId: entry.actorUserId ?? null,
    action: entry.action,
    resourceType: entry.resourceType,
    resourceId: entry.resourceId,
    kbIds: entry.kbIds ?? [],
    detail: snakeKeys(entry.detail ?? {}),
    requestId: entry.requestId ?? null,
  };
}

/** "knowledgeBaseIds" -> "knowledge_base_ids": every payload the API returns is snake_case. */
export function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();
}

/**
 * Audit details in the API's snake_case, keys at every depth (values are left alone). Applied when
 * writing, and when reading rows written before it was (their keys may be camelCase).
 */
export function snakeKeys(detail: Record<string, unknown>): Record<string, unknown> {
  const convert = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(convert);
    if (value && typeof value === "object" && !(value instanceof Date)) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [snakeCase(k), convert(v)]));
    }
    return value;
  };
  return convert(detail) as Record<string, unknown>;
}
