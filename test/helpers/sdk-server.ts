import { type IngestStack, startIngestStack, tenantWithKb } from "./ingest.js";
import { serveOverHttp } from "./serve.js";
import { spawnWorker, stopWorker, type WorkerProcess } from "./worker-process.js";

/**
 * The two deployments the SDK suites run against: the embedded profile (PGlite, in-process
 * ingestion) and PostgreSQL + Redis (BullMQ, ingestion in a separate worker process).
 */
export const SDK_PROFILES = ["embedded", "postgres+redis"] as const;
export type SdkProfile = (typeof SDK_PROFILES)[number];

export interface SdkServer {
  stack: IngestStack;
  baseURL: string;
  /** An admin key of a fresh tenant (which also has a knowledge base named "Docs"). */
  adminKey: string;
  close(): Promise<void>;
}

export async function startSdkServer(profile: SdkProfile): Promise<SdkServer> {
  const stack =
    profile === "embedded"
      ? await startIngestStack("pglite")
      : await startIngestStack("postgres", { bullmq: true });
  let worker: WorkerProcess | undefined;
  if (profile === "postgres+redis") worker = await spawnWorker(stack.workerEnv);
  const { adminKey } = await tenantWithKb(stack.t);
  const http = await serveOverHttp(stack.t.app);
  return {
    stack,
    baseURL: http.baseURL,
    adminKey,
    async close() {
      await http.close();
      await stopWorker(worker);
      await stack.close();
    },
  };
}
