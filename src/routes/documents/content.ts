import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { tenantCtx } from "../../auth/middleware.js";
import type { AppEnv } from "../../context.js";
import { getDocumentContent } from "../../services/documents/content.js";
import { errorResponses, security } from "../common.js";
import { DocIdParam, VersionQuery } from "./schema.js";

export const route = createRoute({
  method: "get",
  path: "/documents/{id}/content",
  tags: ["Documents"],
  summary: "Download a document's original file (any scope)",
  description:
    "The bytes as uploaded, with Content-Type from the detected format and Content-Disposition naming the file.",
  security,
  request: { params: DocIdParam, query: VersionQuery },
  responses: {
    200: {
      description: "The original file.",
      content: {
        "application/octet-stream": { schema: z.any().openapi({ type: "string", format: "binary" }) },
      },
    },
    ...errorResponses(403, 404, 501),
  },
});

/** RFC 6266: an ASCII fallback name plus the exact name in UTF-8 (filename*). */
export function contentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

export function register(app: OpenAPIHono<AppEnv>) {
  // Registered for the document, served by hand: the body is bytes, not JSON.
  app.openAPIRegistry.registerPath(route);
  app.get("/documents/:id/content", async (c) => {
    // An unknown or malformed version id is simply not found.
    const versionId = c.req.query("version_id") || undefined;
    const file = await getDocumentContent({ ctx: tenantCtx(c), input: { id: c.req.param("id"), versionId } });
    return c.body(file.bytes as Uint8Array<ArrayBuffer>, 200, {
      "content-type": file.contentType,
      "content-disposition": contentDisposition(file.filename),
      "content-length": String(file.bytes.byteLength),
      // Uploaded HTML must never run as a page of this origin.
      "x-content-type-options": "nosniff",
      "content-security-policy": "sandbox",
      "x-document-version": file.version.id,
    });
  });
}
