/**
 * The backup capability as the app sees it (AppDeps.backup); the embedded profile's implementation
 * is in create.ts. Kept apart so context.ts can name it without importing the implementation.
 */
export interface BackupManifest {
  format: 1;
  profile: "embedded";
  created_at: string;
  api_version: string;
  vectors_lsn: number;
  blobs: number;
  database_bytes: number;
  /** How long vector and blob writes were held, and how much of it waited for running writes. */
  barrier_ms: number;
  barrier_wait_ms: number;
}

/** Takes a backup of a running service: one consistent point in time, streamed as an archive. */
export interface BackupSource {
  create(): Promise<{ manifest: BackupManifest; stream: ReadableStream<Uint8Array> }>;
}
