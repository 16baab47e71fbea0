import { z } from "@hono/zod-openapi";
import type { ConnectorBinding } from "../../services/connectors/bindings.js";
import { isoDate } from "../common.js";

export const KbParam = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" }, description: "The knowledge base." }),
});
export const ConnectorParams = KbParam.extend({
  cid: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "cid", in: "path" }, description: "The connector (cnr_...)." }),
});

const RunSchema = z
  .object({
    trigger: z.enum(["schedule", "manual"]),
    started_at: z.string(),
    finished_at: z.string().nullable(),
    added: z.number().int(),
    updated: z.number().int().openapi({ description: "Changed items, each a new document version." }),
    unchanged: z.number().int(),
    deleted: z
      .number()
      .int()
      .openapi({ description: "Items gone from the source; their documents deleted." }),
    failed: z.number().int(),
    errors: z.array(z.object({ item: z.string().nullable(), code: z.string(), message: z.string() })),
    complete: z
      .boolean()
      .openapi({ description: "Whether the whole source was listed; deletions are followed only then." }),
  })
  .openapi("ConnectorRun");

export const ConnectorSchema = z
  .object({
    id: z.string().openapi({ example: "cnr_01jc8x0m2n3p4q5r6s7t8v9w0x" }),
    knowledge_base_id: z.string(),
    plugin_id: z.string().openapi({ example: "web-connector" }),
    name: z.string(),
    config: z.record(z.string(), z.unknown()),
    secrets_set: z.array(z.string()).openapi({ description: "Secrets with a stored value; never returned." }),
    interval_seconds: z.number().int().nullable(),
    next_run_at: z.string().nullable(),
    state: z.enum(["idle", "running", "failed"]),
    last_run: RunSchema.nullable(),
    created_at: z.string(),
  })
  .openapi("Connector");

export const CreateConnectorBody = z
  .object({
    plugin_id: z.string().min(3).max(64).openapi({ example: "web-connector" }),
    name: z.string().trim().min(1).max(200).optional(),
    config: z.record(z.string(), z.unknown()).optional().openapi({
      description: "Over the organization's setting of the plugin; the merge fits its configSchema.",
    }),
    secrets: z
      .record(z.string(), z.string().max(4000))
      .optional()
      .openapi({ description: "Values the manifest names as secrets; stored encrypted." }),
    interval_seconds: z
      .number()
      .int()
      .positive()
      .max(86_400 * 30)
      .nullable()
      .optional()
      .openapi({ description: "Seconds between scheduled runs; null or absent: on demand only." }),
  })
  .openapi("CreateConnector");
export type CreateConnectorRequest = z.input<typeof CreateConnectorBody>;

export function toConnector(row: ConnectorBinding, secretsSet: string[]): z.infer<typeof ConnectorSchema> {
  const run = row.lastRun;
  return {
    id: row.id,
    knowledge_base_id: row.kbId,
    plugin_id: row.pluginId,
    name: row.name,
    config: row.config,
    secrets_set: secretsSet,
    interval_seconds: row.intervalSeconds,
    next_run_at: isoDate(row.nextRunAt),
    // A run whose process died leaves "running" behind; once its lease has expired it is not running.
    state: (row.state === "running" && (!row.leaseUntil || row.leaseUntil < new Date())
      ? "failed"
      : row.state) as "idle" | "running" | "failed",
    last_run: run
      ? {
          trigger: run.trigger,
          started_at: run.startedAt,
          finished_at: run.finishedAt,
          added: run.added,
          updated: run.updated,
          unchanged: run.unchanged,
          deleted: run.deleted,
          failed: run.failed,
          errors: run.errors,
          complete: run.complete,
        }
      : null,
    created_at: row.createdAt.toISOString(),
  };
}
