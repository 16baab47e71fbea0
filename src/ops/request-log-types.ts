/** The request log as the app sees it (its own file so src/context.ts imports no implementation). */
export interface RequestLogRow {
  tenantId: string | null;
  method: string;
  route: string;
  status: number;
  durationMs: number;
}

/** Where the request middleware records each answered request for GET /v1/sla. */
export interface RequestLog {
  record(row: RequestLogRow): void;
  /** Writes what is buffered (tests and shutdown). */
  flush(): Promise<void>;
  close(): Promise<void>;
}
