import { createHash } from "node:crypto";
import { and, eq, inArray, ne } from "drizzle-orm";
import { detectType } from "../../../ingest/detect-type.js";
import type { ServiceCtx } from "../../context.js";
import { caseOf } from "../../db/case-of.js";
import { documents, documentVersions } from "../../db/schema.js";
import { newId } from "../../ids.js";
import { type AuditEntry, recordAudits } from "../audit/record.js";
import { enforceQuota } from "../billing/quota.js";
import { mayNeedLoader } from "../plugins/ingest.js";
import { enqueueVersion, ingestionOf } from "./ingestion.js";
import { type UploadInput, type UploadResult, uploadDocument } from "./upload.js";

/**
 * uploadDocument for many inputs at once, with the same outcome as calling it for each in order, but
 * new documents (the common case of a bulk import) cost two lookups and one transaction of multi-row
 * INSERTs per batch instead of several round trips each. Anything that touches an existing document
 * (a known external_id or known content, or content repeated within the batch) goes through
 * uploadDocument itself, after the batch, so versions and deduplication have exactly one implementation.
 * The knowledge base must already be checked as visible to the caller.
 */
export async function uploadDocumentsBatch({
  ctx,
  kbId,
  inputs,
  batch,
}: {
  ctx: ServiceCtx;
  kbId: string;
  inputs: UploadInput[];
  /** The bulk import these inputs come from: new versions are tagged with it and their line or entry. */
  batch?: { id: string; items: { line: number | null; entry: string | null }[] };
}): Promise<(UploadResult | { error: unknown })[]> {
  const { blobs } = ingestionOf(ctx);
  const { db } = ctx.deps.database;
  const tenantId = ctx.auth.tenantId;
  const prepared = inputs.map((input) => ({
    input,
    sha256: createHash("sha256").update(input.bytes).digest("hex"),
    format: detectType(input.bytes, input.filename, input.contentType),
  }));
  const externalIds = inputs.flatMap((i) => (i.externalId ? [i.externalId] : []));
  const knownExternal = new Set(
    externalIds.length === 0
      ? []
      : (
          await db
            .select({ externalId: documents.externalId })
            .from(documents)
            .where(and(eq(documents.kbId, kbId), inArray(documents.externalId, externalIds)))
        ).map((r) => r.externalId),
  );
  const shas = prepared.filter((p) => !p.input.externalId).map((p) => p.sha256);
  const knownSha = new Set(
    shas.length === 0
      ? []
      : (
          await db
            .select({ sha256: documentVersions.sha256 })
            .from(documentVersions)
            .innerJoin(documents, eq(documents.latestVersionId, documentVersions.id))
            .where(
              and(
                eq(documentVersions.kbId, kbId),
                inArray(documentVersions.sha256, shas),
                ne(documentVersions.status, "failed"),
              ),
            )
        ).map((r) => r.sha256),
  );

  const results: (UploadResult | { error: unknown } | undefined)[] = new Array(inputs.length);
  const later: number[] = [];
  const fresh: { index: number; documentId: string; versionId: string; blobKey: string }[] = [];
  const shaInBatch = new Set<string>();
  prepared.forEach((p, index) => {
    const known = p.input.externalId ? knownExternal.has(p.input.externalId) : knownSha.has(p.sha256);
    const repeated = !p.input.externalId && shaInBatch.has(p.sha256);
    if (!p.input.externalId) shaInBatch.add(p.sha256);
    // Unsupported content, known documents and repeats take the single path (which also words the errors).
    // So do uploads a loader plugin may read (uploadDocument looks the organization's loaders up).
    const loader = mayNeedLoader(p.format, p.input.filename, p.input.contentType);
    if (!p.format || loader || known || repeated) later.push(index);
    else {
      const versionId = newId("ver");
      fresh.push({ index, documentId: newId("doc"), versionId, blobKey: `${tenantId}/${versionId}` });
    }
  });

  // The plan's quotas, as uploadDocument checks them one by one (the other lines go through it below).
  // Checked for the whole batch before anything is stored: a batch over the quota is refused as one,
  // and the caller's earlier batches stay (a bulk import is resumable by external_id).
  if (fresh.length > 0) {
    await enforceQuota(ctx, "documents", fresh.length);
    await enforceQuota(
      ctx,
      "storage_bytes",
      fresh.reduce((sum, f) => sum + inputs[f.index]!.bytes.byteLength, 0),
    );
  }
  await Promise.all(fresh.map((f) => blobs.put(f.blobKey, inputs[f.index]!.bytes, { tenantId })));
  if (fresh.length > 0) {
    await db.transaction(async (t) => {
      await t.insert(documents).values(
        fresh.map((f) => {
          const { input } = prepared[f.index]!;
          return {
            id: f.documentId,
            tenantId,
            kbId,
            externalId: input.externalId ?? null,
            title: input.filename,
            filename: input.filename,
            metadata: input.metadata ?? {},
            latestVersionId: f.versionId,
          };
        }),
      );
      await t.insert(documentVersions).values(
        fresh.map((f) => {
          const { input, sha256, format } = prepared[f.index]!;
          return {
            id: f.versionId,
            documentId: f.documentId,
            tenantId,
            kbId,
            sha256,
            format: format!,
            sizeBytes: input.bytes.byteLength,
            blobKey: f.blobKey,
            contentType: input.contentType ?? null,
            status: "queued",
            batchId: batch?.id ?? null,
            batchLine: batch?.items[f.index]?.line ?? null,
            batchEntry: batch?.items[f.index]?.entry ?? null,
          };
        }),
      );
      await recordAudits(
        t,
        fresh.map((f): AuditEntry => {
          const { input, sha256, format } = prepared[f.index]!;
          return {
            tenantId,
            actorKeyId: ctx.auth.keyId,
            action: "document.create",
            resourceType: "document",
            resourceId: f.documentId,
            kbIds: [kbId],
            detail: {
              kb_id: kbId,
              version_id: f.versionId,
              filename: input.filename,
              format,
              bytes: input.bytes.byteLength,
              sha256,
              bulk: true,
            },
            requestId: ctx.requestId,
          };
        }),
      );
    });
  }
  for (const f of fresh) {
    await enqueueVersion(ctx, f.versionId);
    results[f.index] = {
      documentId: f.documentId,
      versionId: f.versionId,
      status: "queued",
      deduplicated: false,
    };
  }
  const tagged: { versionId: string; index: number }[] = [];
  for (const index of later) {
    try {
      const r = await uploadDocument({ ctx, input: inputs[index]! });
      results[index] = r;
      if (!r.deduplicated) tagged.push({ versionId: r.versionId, index });
    } catch (error) {
      results[index] = { error };
    }
  }
  if (batch && tagged.length > 0) {
    // New versions of known documents came through uploadDocument: tag them in one statement.
    const of = <T>(f: (i: number) => T) => new Map(tagged.map((t) => [t.versionId, f(t.index)]));
    await db
      .update(documentVersions)
      .set({
        batchId: batch.id,
        batchLine: caseOf(
          documentVersions.id,
          of((i) => batch.items[i]?.line ?? null),
          "int",
        ),
        batchEntry: caseOf(
          documentVersions.id,
          of((i) => batch.items[i]?.entry ?? null),
          "text",
        ),
      })
      .where(
        inArray(
          documentVersions.id,
          tagged.map((t) => t.versionId),
        ),
      );
  }
  return results as (UploadResult | { error: unknown })[];
}
