import { z } from "@hono/zod-openapi";
import type { FileRow } from "../../services/files/files.js";

export const FileObject = z
  .object({
    id: z.string().openapi({ example: "file_01jc8w7k3m9x2p4q5r6s7t8v9w" }),
    object: z.literal("file"),
    bytes: z.number().int(),
    created_at: z.number().int().openapi({ description: "Unix seconds." }),
    filename: z.string(),
    purpose: z.string(),
    status: z.literal("processed"),
    expires_at: z.null(),
    status_details: z.null(),
  })
  .openapi("OpenAIFile");

export const FileIdParam = z.object({ file_id: z.string().min(1).max(64) });

export const unixSeconds = (d: Date) => Math.floor(d.getTime() / 1000);

export function toFileObject(f: FileRow): z.infer<typeof FileObject> {
  return {
    id: f.id,
    object: "file",
    bytes: f.bytes,
    created_at: unixSeconds(f.createdAt),
    filename: f.filename,
    purpose: f.purpose,
    status: "processed",
    expires_at: null,
    status_details: null,
  };
}

/** OpenAI's cursor page: newest first, `after` = last_id of the previous page. */
export const OpenAIPageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  after: z.string().max(64).optional(),
  order: z.enum(["asc", "desc"]).default("desc").optional(),
});
