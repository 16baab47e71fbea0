import { createHash } from "node:crypto";
import { and, eq, ne, sql } from "drizzle-orm";
import { detectType, SUPPORTED_TYPES } from "../../../ingest/detect-type.js";
import type { ServiceCtx } from "../../context.js";
import type { Db } from "../../db/client.js";
import { preparedPerDb } from "../../db/prepared.js";
import { auditLog, documents, documentVersions } from "../../db/schema.js";
import { newId } from "../../ids.js";
import type { MetaValue } from "../../vector/types.js";
import { auditRow } from "../audit/record.js";
import { enforceQuota } from "../billing/quota.js";
import { ServiceError } from "../errors.js";
import { loadVisibleKb } from "../knowledge-bases/get.js";
import { loaderFormat } from "../plugins/ingest.js";
import { enqueueVersion, ingestionOf } from "./ingestion.js";

export interface UploadInput {
  kbId: string;
  bytes: Uint8Array;
  filename: string;
  contentType?: string;
  metadata?: Record<string, MetaValue>;
  externalId?: string;
}

export interface UploadResult {
  documentId: string;
  versionId: string;
  status: string;
  deduplicated: boolean;
}

/**
 * Stores an upload and queues it. Same bytes as a document already in the knowledge base (or, with
 * an external_id, as that document's newest version) return that document instead. New bytes under
 * a known external_id become a new version, which replaces the current one only once it is ready.
 */
export async function uploadDocument({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: UploadInput;
}): Promise<UploadResult> {
  const { blobs } = ingestionOf(ctx);
  const { db } = ctx.deps.database;
  const kb = await loadVisibleKb(db, ctx, input.kbId);
  const detected = detectType(input.bytes, input.filename, input.contentType);
  // The organization's enabled loader plugins read what the host does not (XLSX, PPTX, EPUB, images).
  const format = (await loaderFormat(ctx, input, detected)) ?? detected;
  if (!format) {
    throw new ServiceError(
      "unsupported_media_type",
      `${input.filename} is not a supported document type. Supported: ${SUPPORTED_TYPES}; other formats once an administrator enables a loader plugin for them (GET /v1/plugins).`,
      { data: { supported: SUPPORTED_TYPES.split(", ") } },
    );
  }
  const sha256 = createHash("sha256").update(input.bytes).digest("hex");
  const [existing] = input.externalId
    ? await byExternalId(db).execute({ kbId: kb.id, externalId: input.externalId })
    : await bySha(db).execute({ kbId: kb.id, sha256 });
  if (existing?.version && existing.version.sha256 === sha256 && existing.version.status !== "failed") {
    // A queued version whose job was lost (queue down at upload time) gets its job back here.
    if (existing.version.status === "queued") await enqueueVersion(ctx, existing.version.id);
    return {
      documentId: existing.document.id,
      versionId: existing.version.id,
      status: existing.version.status,
      deduplicated: true,
    };
  }

  if (!existing) await enforceQuota(ctx, "documents");
  await enforceQuota(ctx, "storage_bytes", input.bytes.byteLength);
  const documentId = existing?.document.id ?? newId("doc");
  const versionId = newId("ver");
  const blobKey = `${ctx.auth.tenantId}/${versionId}`;
  await blobs.put(blobKey, input.bytes, { tenantId: ctx.auth.tenantId });
  const version = {
    id: versionId,
    documentId,
    tenantId: ctx.auth.tenantId,
    kbId: kb.id,
    sha256,
    format,
    sizeBytes: input.bytes.byteLength,
    blobKey,
    contentType: input.contentType ?? null,
    status: "queued" as const,
  };
  const audit = auditRow({
    tenantId: ctx.auth.tenantId,
    actorKeyId: ctx.auth.keyId,
    action: existing ? "document.version" : "document.create",
    resourceType: "document",
    resourceId: documentId,
    kbIds: [kb.id],
    detail: {
      kb_id: kb.id,
      version_id: versionId,
      filename: input.filename,
      format,
      bytes: input.bytes.byteLength,
      sha256,
    },
    requestId: ctx.requestId,
  });
  if (existing) {
    await db.transaction(async (t) => {
      await t
        .update(documents)
        .set({
          latestVersionId: versionId,
          filename: input.filename,
          updatedAt: new Date(),
          ...(input.metadata ? { metadata: input.metadata } : {}),
        })
        .where(eq(documents.id, documentId));
      await t.insert(documentVersions).values(version);
      await t.insert(auditLog).values(audit);
    });
  } else {
    // A new document, its first version and the audit row in one statement (data-modifying CTEs):
    // atomic like a transaction, at one round trip instead of five, which is most of an upload's
    // database work (bench:bulk:production).
    const newDocument = db.$with("new_document").as(
      db
        .insert(documents)
        .values({
          id: documentId,
          tenantId: ctx.auth.tenantId,
          kbId: kb.id,
          externalId: input.externalId ?? null,
          title: input.filename,
          filename: input.filename,
          metadata: input.metadata ?? {},
          latestVersionId: versionId,
        })
        .returning({ id: documents.id }),
    );
    const newVersion = db
      .$with("new_version")
      .as(db.insert(documentVersions).values(version).returning({ id: documentVersions.id }));
    await db.with(newDocument, newVersion).insert(auditLog).values(audit);
  }
  await enqueueVersion(ctx, versionId);
  return { documentId, versionId, status: "queued", deduplicated: false };
}

// Every upload runs one of these two: built once per database (see prepared.ts).
const byExternalId = preparedPerDb((db: Db) =>
  db
    .select({ document: documents, version: documentVersions })
    .from(documents)
    .leftJoin(documentVersions, eq(documentVersions.id, documents.latestVersionId))
    .where(
      and(
        eq(documents.kbId, sql.placeholder("kbId")),
        eq(documents.externalId, sql.placeholder("externalId")),
      ),
    )
    .limit(1)
    .prepare("upload_by_external_id"),
);

const bySha = preparedPerDb((db: Db) =>
  db
    .select({ document: documents, version: documentVersions })
    .from(documentVersions)
    .innerJoin(documents, eq(documents.latestVersionId, documentVersions.id))
    .where(
      and(
        eq(documentVersions.kbId, sql.placeholder("kbId")),
        eq(documentVersions.sha256, sql.placeholder("sha256")),
        ne(documentVersions.status, "failed"),
      ),
    )
    .limit(1)
    .prepare("upload_by_sha256"),
);
