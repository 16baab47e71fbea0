import { and, asc, eq } from "drizzle-orm";
import type { ServiceCtx } from "../../context.js";
import { chunks, documentTexts } from "../../db/schema.js";
import { ConflictError } from "../errors.js";
import { resolveVersion } from "./version.js";

/**
 * The extracted text of a version, as chunked (chunk offsets point into it), with page extents for
 * PDFs. Versions ingested before the text was stored get it rebuilt from their chunks (`rebuilt`):
 * exact inside chunks, with a paragraph break wherever chunking had skipped whitespace.
 */
export async function getDocumentText({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { id: string; versionId?: string };
}) {
  const { document, version } = await resolveVersion(ctx, input);
  const { db } = ctx.deps.database;
  const [stored] = await db
    .select()
    .from(documentTexts)
    .where(and(eq(documentTexts.versionId, version.id), eq(documentTexts.tenantId, ctx.auth.tenantId)))
    .limit(1);
  if (stored) return { document, version, text: stored.text, pages: stored.pages, rebuilt: false };

  const rows = await db
    .select({ text: chunks.text, start: chunks.charStart, end: chunks.charEnd })
    .from(chunks)
    .where(and(eq(chunks.versionId, version.id), eq(chunks.tenantId, ctx.auth.tenantId)))
    .orderBy(asc(chunks.ordinal));
  if (rows.length === 0) {
    throw new ConflictError(
      `Document ${document.id} has no extracted text (version ${version.id} is ${version.status}). ` +
        "Wait until it is ready; a failed document has none: see its `error`.",
    );
  }
  let text = "";
  let covered = 0;
  for (const r of rows) {
    if (r.start > covered && text.length > 0) text += "\n\n";
    if (r.end > covered) text += r.text.slice(Math.max(0, covered - r.start));
    covered = Math.max(covered, r.end);
  }
  return { document, version, text, pages: [], rebuilt: true };
}
