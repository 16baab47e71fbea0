import { z } from "@hono/zod-openapi";
import type { DocumentWithVersion } from "../../services/documents/get.js";
import { DOCUMENT_STATUSES, type DocumentStatus } from "../../services/documents/list.js";
import { isoDate } from "../common.js";

const MetaValue = z.union([z.string().max(1000), z.number(), z.boolean()]);
export const MetadataSchema = z
  .record(
    z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, "attribute names are 1-64 of A-Z a-z 0-9 _ . -"),
    MetaValue,
  )
  .refine((m) => Object.keys(m).length <= 64, "at most 64 attributes")
  .openapi({
    description: "Attributes usable as search filters (string, number or boolean values).",
    example: { product: "x200", year: 2024 },
  });

export const ExternalIdSchema = z.string().trim().min(1).max(256);

export const DocIdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" } }),
});

export const VersionQuery = z.object({
  version_id: z.string().min(1).max(64).optional().openapi({
    description:
      "A version of the document (`version_id` / `active_version_id` of the Document); default: the one searches see, else the newest.",
  }),
});

export const DocumentSchema = z
  .object({
    id: z.string().openapi({ example: "doc_01jc8w7k3m9x2p4q5r6s7t8v9w" }),
    kb_id: z.string(),
    external_id: z.string().nullable(),
    title: z.string(),
    filename: z.string(),
    metadata: z.record(z.string(), MetaValue),
    status: z.enum(DOCUMENT_STATUSES).openapi({ description: "Status of the newest version." }),
    version_id: z
      .string()
      .nullable()
      .openapi({ description: "The newest version (the one status describes)." }),
    active_version_id: z
      .string()
      .nullable()
      .openapi({ description: "The version searches see; null until one is ready." }),
    format: z.string().nullable(),
    size_bytes: z.number().int().nullable(),
    progress: z.object({
      pages_parsed: z.number().int(),
      chunks_embedded: z.number().int(),
      chunks_indexed: z.number().int(),
      percent: z.number().int().min(0).max(100),
    }),
    pages: z.number().int().nullable(),
    chunks: z.number().int().nullable(),
    attempts: z.number().int(),
    timings: z
      .record(z.string(), z.number())
      .openapi({ description: "Milliseconds per stage (parse_ms, chunk_ms, embed_ms, index_ms, total_ms)." }),
    error: z
      .object({ code: z.string(), message: z.string() })
      .nullable()
      .openapi({ description: "Why processing failed (status failed): a stable code and what to do." }),
    created_at: z.string(),
    updated_at: z.string(),
    started_at: z.string().nullable(),
    finished_at: z.string().nullable(),
  })
  .openapi("Document");

export type DocumentView = z.infer<typeof DocumentSchema>;

/**
 * Percent from what is known, never decreasing as a version advances: 0-50 while parsing (pages parsed
 * of the page count; an unpaged document jumps to 50 once parsed), then 50-99 as chunks are indexed
 * against the chunks made (a PDF's chunks are indexed while it is parsed, so that part starts from
 * wherever indexing already is), 100 when ready.
 */
export function percentOf(v: NonNullable<DocumentWithVersion["version"]>): number {
  if (v.status === "ready" || v.status === "superseded") return 100;
  if (v.chunks === null) {
    if (!v.pages) return v.pagesParsed > 0 ? 50 : 0;
    return Math.min(50, Math.floor((50 * v.pagesParsed) / v.pages));
  }
  if (v.chunks === 0) return 99;
  return Math.min(99, 50 + Math.floor((49 * v.chunksIndexed) / v.chunks));
}

export function toDocument({ document: d, version: v }: DocumentWithVersion): DocumentView {
  const status = (v && v.status !== "superseded" ? v.status : "ready") as DocumentStatus;
  return {
    id: d.id,
    kb_id: d.kbId,
    external_id: d.externalId,
    title: d.title,
    filename: d.filename,
    metadata: d.metadata,
    status,
    version_id: v?.id ?? null,
    active_version_id: d.activeVersionId,
    format: v?.format ?? null,
    size_bytes: v?.sizeBytes ?? null,
    progress: {
      pages_parsed: v?.pagesParsed ?? 0,
      chunks_embedded: v?.chunksEmbedded ?? 0,
      chunks_indexed: v?.chunksIndexed ?? 0,
      percent: v ? percentOf(v) : 0,
    },
    pages: v?.pages ?? null,
    chunks: v?.chunks ?? null,
    attempts: v?.attempts ?? 0,
    timings: v?.timings ?? {},
    error:
      v?.status === "failed"
        ? { code: v.errorCode ?? "internal_error", message: v.errorMessage ?? "Processing failed." }
        : null,
    created_at: d.createdAt.toISOString(),
    // The newest of the document's own changes and its newest version's progress.
    updated_at: (v?.updatedAt && v.updatedAt > d.updatedAt ? v.updatedAt : d.updatedAt).toISOString(),
    started_at: isoDate(v?.startedAt),
    finished_at: isoDate(v?.finishedAt),
  };
}

export const UploadAccepted = z
  .object({
    id: z.string().openapi({ description: "Document id." }),
    version_id: z.string(),
    status: z.enum(DOCUMENT_STATUSES),
    status_url: z.string().openapi({ example: "/v1/documents/doc_01jc8w7k3m9x2p4q5r6s7t8v9w" }),
    deduplicated: z.boolean().openapi({
      description: "True when identical content was already uploaded: nothing new is processed.",
    }),
  })
  .openapi("DocumentUploadAccepted");
