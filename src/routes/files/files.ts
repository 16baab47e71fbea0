import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { serviceCtx, tenantCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { deleteFile, fileContent, getFile, listFiles, uploadFile } from "../../services/files/files.js";
import { errorResponses, jsonResponse, security } from "../common.js";
import { readUpload } from "../documents/read-upload.js";
import { FileIdParam, FileObject, OpenAIPageQuery, toFileObject } from "./schema.js";

const tags = ["OpenAI-compatible"];

const upload = createRoute({
  method: "post",
  path: "/files",
  tags,
  summary: "Upload a file for vector stores (OpenAI's files API; scope ingest)",
  description:
    "Multipart `file` and `purpose` (`assistants`). The file is stored, not indexed: attach it to a vector store (a knowledge base) to make it a document.",
  security,
  request: {
    body: {
      required: true,
      content: {
        "multipart/form-data": {
          schema: z.object({
            file: z.any().openapi({ type: "string", format: "binary" }),
            purpose: z.string().openapi({ example: "assistants" }),
          }),
        },
      },
    },
  },
  responses: { 200: jsonResponse(FileObject, "The stored file."), ...errorResponses(403, 413, 415, 503) },
});

const list = createRoute({
  method: "get",
  path: "/files",
  tags,
  summary: "List files, newest first",
  security,
  request: { query: OpenAIPageQuery.extend({ purpose: z.string().max(32).optional() }) },
  responses: {
    200: jsonResponse(
      z.object({
        object: z.literal("list"),
        data: z.array(FileObject),
        first_id: z.string().nullable(),
        last_id: z.string().nullable(),
        has_more: z.boolean(),
      }),
      "A page of files.",
    ),
    ...errorResponses(403),
  },
});

const get = createRoute({
  method: "get",
  path: "/files/{file_id}",
  tags,
  summary: "A file",
  security,
  request: { params: FileIdParam },
  responses: { 200: jsonResponse(FileObject, "The file."), ...errorResponses(403, 404) },
});

const content = createRoute({
  method: "get",
  path: "/files/{file_id}/content",
  tags,
  summary: "A file's bytes",
  security,
  request: { params: FileIdParam },
  responses: {
    200: {
      description: "The original bytes.",
      content: {
        "application/octet-stream": { schema: z.any().openapi({ type: "string", format: "binary" }) },
      },
    },
    ...errorResponses(403, 404),
  },
});

const remove = createRoute({
  method: "delete",
  path: "/files/{file_id}",
  tags,
  summary: "Delete a file (documents made from it in vector stores stay; scope ingest)",
  security,
  request: { params: FileIdParam },
  responses: {
    200: jsonResponse(
      z.object({ id: z.string(), object: z.literal("file"), deleted: z.literal(true) }),
      "Deleted.",
    ),
    ...errorResponses(403, 404),
  },
});

export function register(app: OpenAPIHono<AppEnv>) {
  // Documented through the registry but handled directly (as document uploads are): validating the
  // body would buffer it whole before the size limit could be enforced.
  app.openAPIRegistry.registerPath(upload);
  app.post("/files", async (c) => {
    const ctx = serviceCtx(c, "ingest");
    const received = await readUpload(c.req.raw, ctx.deps.config.MAX_UPLOAD_MB);
    const row = await uploadFile({
      ctx,
      input: {
        bytes: received.bytes,
        filename: received.filename,
        purpose: received.fields.purpose ?? "assistants",
        ...(received.contentType ? { contentType: received.contentType } : {}),
      },
    });
    return c.json(toFileObject(row), 200);
  });
  app.openapi(list, async (c) => {
    const q = c.req.valid("query");
    const page = await listFiles({
      ctx: tenantCtx(c),
      input: {
        limit: q.limit,
        ...(q.after ? { after: q.after } : {}),
        ...(q.purpose ? { purpose: q.purpose } : {}),
      },
    });
    const data = page.items.map(toFileObject);
    return c.json(
      {
        object: "list" as const,
        data,
        first_id: data[0]?.id ?? null,
        last_id: data.at(-1)?.id ?? null,
        has_more: page.hasMore,
      },
      200,
    );
  });
  app.openapi(get, async (c) => {
    const row = await getFile({ ctx: tenantCtx(c), input: { id: c.req.valid("param").file_id } });
    return c.json(toFileObject(row), 200);
  });
  app.openapi(content, async (c) => {
    const { row, bytes } = await fileContent({
      ctx: tenantCtx(c),
      input: { id: c.req.valid("param").file_id },
    });
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
      "content-type": "application/octet-stream",
      "content-disposition": `attachment; filename="${row.filename.replace(/["\\\r\n]/g, "_")}"`,
    }) as never;
  });
  app.openapi(remove, async (c) => {
    const row = await deleteFile({
      ctx: serviceCtx(c, "ingest"),
      input: { id: c.req.valid("param").file_id },
    });
    return c.json({ id: row.id, object: "file" as const, deleted: true as const }, 200);
  });
}
