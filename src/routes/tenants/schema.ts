import { z } from "@hono/zod-openapi";
import type { tenants } from "../../db/schema.js";
import { KeyCreatedSchema } from "../keys/schema.js";
import { UsdInput, UsdString, usdOrNull } from "../money.js";

export const TenantSchema = z
  .object({
    id: z.string().openapi({ example: "ten_01jc8w7k3m9x2p4q5r6s7t8v9w" }),
    name: z.string(),
    monthly_budget_micros: z.number().int().nullable(),
    monthly_budget_usd: UsdString.nullable(),
    created_at: z.string().openapi({ format: "date-time" }),
  })
  .openapi("Tenant");

export const CreateTenantBody = z
  .strictObject({
    name: z.string().trim().min(1).max(200).openapi({ example: "Acme Corp" }),
    monthly_budget_usd: UsdInput.nullable()
      .optional()
      .openapi({ description: "Monthly spending cap for the whole tenant in USD; null = none." }),
  })
  .openapi("CreateTenant");

export const CreateTenantResponse = z
  .object({ tenant: TenantSchema, key: KeyCreatedSchema })
  .openapi("TenantCreated");

export function toTenant(row: typeof tenants.$inferSelect): z.infer<typeof TenantSchema> {
  return {
    id: row.id,
    name: row.name,
    monthly_budget_micros: row.monthlyBudgetMicros,
    monthly_budget_usd: usdOrNull(row.monthlyBudgetMicros),
    created_at: row.createdAt.toISOString(),
  };
}
