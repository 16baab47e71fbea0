import { BlobNotFoundError } from "../../blobs/types.js";
import type { ServiceCtx } from "../../context.js";
import { ServiceError } from "../errors.js";
import { resolveVersion } from "./version.js";

/** What a browser should call each format we store. */
const CONTENT_TYPES: Record<string, string> = {
  pdf: "application/pdf",
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  html: "text/html",
  markdown: "text/markdown",
  text: "text/plain",
};

/** The original bytes of a version as uploaded, with a content type and the document's file name. */
export async function getDocumentContent({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { id: string; versionId?: string };
}) {
  const { document, version } = await resolveVersion(ctx, input);
  const blobs = ctx.deps.blobs;
  if (!blobs) {
    throw new ServiceError("not_implemented", "This deployment stores no original files (no blob store).");
  }
  const bytes = await blobs.get(version.blobKey).catch((err: unknown) => {
    if (err instanceof BlobNotFoundError) throw new ServiceError("not_found", err.message);
    throw err;
  });
  return {
    document,
    version,
    bytes,
    contentType: CONTENT_TYPES[version.format] ?? "application/octet-stream",
    filename: document.filename,
  };
}
