import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../../context.js";
import { ApiError } from "../../errors.js";
import { errorResponses } from "../common.js";
import { platformCtx, security } from "./schema.js";

export const backupRoute = createRoute({
  method: "post",
  path: "/platform/backup",
  tags: ["Platform"],
  summary: "Back up the embedded profile while it serves (platform administrator)",
  description:
    "Streams one consistent backup of the database, the vector engine and the stored originals (`npm run backup` calls this). Vector and blob writes wait during the copy (the `x-backup-barrier-ms` header says how long); reads and answers go on. Only the embedded profile: production backs up PostgreSQL, Qdrant and blobs with their own tools (README).",
  security,
  responses: {
    200: {
      description:
        "The backup file (gzip). Restore it with `npm run restore -- FILE` into a stopped service.",
      content: { "application/octet-stream": { schema: z.string().openapi({ format: "binary" }) } },
    },
    ...errorResponses(403, 501, 503),
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  app.openapi(backupRoute, async (c) => {
    const { deps } = platformCtx(c);
    if (!deps.backup) {
      throw new ApiError(
        "not_implemented",
        "Backups through the API exist only in the embedded profile. With DATABASE_URL/QDRANT_URL use pg_dump, Qdrant snapshots and the blobs table (README, Backup, restore and encryption).",
      );
    }
    const { manifest, stream } = await deps.backup.create().catch((err: Error) => {
      throw new ApiError("unavailable", `The backup could not be taken: ${err.message}`, {
        headers: { "retry-after": "5" },
      });
    });
    const name = `aihub-backup-${manifest.created_at.replace(/[:.]/g, "-")}.aihub`;
    return new Response(stream, {
      status: 200,
      headers: {
        "content-type": "application/octet-stream",
        "content-disposition": `attachment; filename="${name}"`,
        "x-backup-created-at": manifest.created_at,
        "x-backup-barrier-ms": String(manifest.barrier_ms),
        "cache-control": "no-store",
      },
    }) as never;
  });
}
