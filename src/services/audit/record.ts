import type { Db } from "../../db/client.js";
import { auditLog } from "../../db/schema.js";
import { newId } from "../../ids.js";

export interface AuditEntry {
  tenantId: string | null;
  actorKeyId: string | null;
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
  await db.insert(auditLog).values({
    id: newId("aud"),
    tenantId: entry.tenantId,
    actorKeyId: entry.actorKeyId,
    action: entry.action,
    resourceType: entry.resourceType,
    resourceId: entry.resourceId,
    kbIds: entry.kbIds ?? [],
    detail: entry.detail ?? {},
    requestId: entry.requestId ?? null,
  });
}
