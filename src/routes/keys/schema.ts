import { z } from "@hono/zod-openapi";
import type { apiKeys } from "../../db/schema.js";
import { isoDate } from "../common.js";
import { UsdInput, UsdString, usdOrNull } from "../money.js";

export const ScopeSchema = z.enum(["admin", "ingest", "query"]).openapi({
  description:
    "admin: manage keys, knowledge bases, audit (implies all); ingest: upload/delete documents; query: search and ask.",
});

export const KeySchema = z
  .object({
    id: z.string().openapi({ example: "key_01jc8w7k3m9x2p4q5r6s7t8v9w" }),
    name: z.string(),
    prefix: z
      .string()
      .openapi({ description: "Visible start of the key, to tell keys apart.", example: "aih_3kq9x2mz" }),
    scopes: z.array(ScopeSchema),
    knowledge_base_ids: z.array(z.string()).nullable(),
    monthly_budget_micros: z.number().int().nullable(),
    monthly_budget_usd: UsdString.nullable(),
    rate_limit_per_minute: z.number().int().nullable(),
    expires_at: z.string().nullable(),
    revoked_at: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi("ApiKey");

export const KeyCreatedSchema = KeySchema.extend({
  key: z.string().openapi({ description: "The secret key. Shown only once: store it now." }),
}).openapi("ApiKeyCreated");

export const CreateKeyBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200).openapi({ example: "support bot" }),
    scopes: z.array(ScopeSchema).min(1).max(3),
    knowledge_base_ids: z
      .array(z.string().min(1).max(64))
      .max(1000)
      .nullable()
      .optional()
      .openapi({ description: "Restrict the key to these knowledge bases (null = all)." }),
    expires_at: z.iso
      .datetime({ offset: true })
      .nullable()
      .optional()
      .openapi({ example: "2027-01-01T00:00:00Z" }),
    monthly_budget_usd: UsdInput.nullable().optional(),
    rate_limit_per_minute: z.number().int().min(1).max(1_000_000).nullable().optional(),
  })
  .openapi("CreateApiKey");

export function toKey(row: typeof apiKeys.$inferSelect): z.infer<typeof KeySchema> {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes as z.infer<typeof ScopeSchema>[],
    knowledge_base_ids: row.kbIds ?? null,
    monthly_budget_micros: row.monthlyBudgetMicros,
    monthly_budget_usd: usdOrNull(row.monthlyBudgetMicros),
    rate_limit_per_minute: row.rateLimitPerMinute,
    expires_at: isoDate(row.expiresAt),
    revoked_at: isoDate(row.revokedAt),
    created_at: row.createdAt.toISOString(),
  };
}

export function toKeyCreated(row: typeof apiKeys.$inferSelect & { plaintext: string }) {
  return { ...toKey(row), key: row.plaintext };
}
