import { and, count, eq, gte, sql } from "drizzle-orm";
import type { QuotaName } from "../../billing/plans.js";
import type { Db } from "../../db/client.js";
import {
  documents,
  documentVersions,
  embeds,
  knowledgeBases,
  orgMembers,
  usageCounters,
  usageLedger,
} from "../../db/schema.js";
import { monthStart } from "../budgets/spend.js";

/** "2026-11": the UTC month quotas and statements count by. */
export const monthKey = (now: Date) => now.toISOString().slice(0, 7);

/** What an organization uses of one quota now (this UTC month for the monthly ones). */
export async function usageOf(db: Db, tenantId: string, quota: QuotaName, now = new Date()): Promise<number> {
  switch (quota) {
    case "requests_per_month": {
      const [r] = await db
        .select({ n: usageCounters.requests })
        .from(usageCounters)
        .where(and(eq(usageCounters.tenantId, tenantId), eq(usageCounters.month, monthKey(now))));
      return r?.n ?? 0;
    }
    case "tokens_per_month": {
      const [r] = await db
        .select({
          n: sql<string>`coalesce(sum(${usageLedger.inputTokens} + ${usageLedger.outputTokens} + ${usageLedger.embeddingTokens}), 0)::text`,
        })
        .from(usageLedger)
        .where(and(eq(usageLedger.tenantId, tenantId), gte(usageLedger.createdAt, monthStart(now))));
      return Number(r?.n ?? 0);
    }
    case "storage_bytes": {
      const [r] = await db
        .select({ n: sql<string>`coalesce(sum(${documentVersions.sizeBytes}), 0)::text` })
        .from(documentVersions)
        .where(eq(documentVersions.tenantId, tenantId));
      return Number(r?.n ?? 0);
    }
    case "documents":
      return countOf(db, documents, eq(documents.tenantId, tenantId));
    case "knowledge_bases":
      return countOf(db, knowledgeBases, eq(knowledgeBases.tenantId, tenantId));
    case "members":
      return countOf(db, orgMembers, eq(orgMembers.tenantId, tenantId));
    case "embeds":
      return countOf(db, embeds, eq(embeds.tenantId, tenantId));
  }
}

// biome-ignore lint/suspicious/noExplicitAny: any drizzle table
async function countOf(db: Db, table: any, where: ReturnType<typeof eq>): Promise<number> {
  const [r] = await db.select({ n: count() }).from(table).where(where);
  return Number(r?.n ?? 0);
}

/** Counts one metered request (search, ask, chat) against this month. */
export async function countRequest(db: Db, tenantId: string, now = new Date()): Promise<void> {
  await db
    .insert(usageCounters)
    .values({ tenantId, month: monthKey(now), requests: 1 })
    .onConflictDoUpdate({
      target: [usageCounters.tenantId, usageCounters.month],
      set: { requests: sql`${usageCounters.requests} + 1` },
    });
}
