/** What a bulk import answers, line by line; shared by the import verb and its status resource. */
export interface BulkLineError {
  /** 1-based line number in the uploaded file (for a zip: the entry's position in the archive). */
  line: number;
  /** The archive entry's path, for a zip import. */
  entry?: string;
  code:
    | "invalid_json"
    | "validation_failed"
    | "unsupported_media_type"
    | "payload_too_large"
    | "unsafe_path"
    | "failed";
  message: string;
}

export interface BulkLineResult {
  line: number;
  entry?: string;
  documentId: string;
  versionId: string;
  status: string;
  deduplicated: boolean;
  externalId: string | null;
}

export interface BulkImportResult {
  /** The import's status resource (GET /v1/knowledge-bases/{kb}/batches/{id}). */
  batchId: string;
  lines: number;
  accepted: number;
  deduplicated: number;
  failed: number;
  documents: BulkLineResult[];
  errors: BulkLineError[];
}
