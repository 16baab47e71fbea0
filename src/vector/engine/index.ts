import type { AddressInfo } from "node:net";
import { createEngineServer } from "./server.js";
import { Store } from "./store.js";

export interface EngineHandle {
  url: string;
  port: number;
  /** The state as of now, as the frames of a snapshot file (see Store.exportSnapshot). */
  exportSnapshot(): { lsn: number; frames: Buffer[] };
  /** Stops accepting requests, waits for in-flight writes, snapshots and releases the data dir. */
  close(): Promise<void>;
}

/**
 * Starts the embedded Qdrant-compatible engine: recovers state from `dataDir` (snapshot + log), then
 * serves the subset of Qdrant's REST API the vector adapter uses. `port: 0` picks a free port.
 */
export async function startEngine(opts: {
  dataDir: string;
  host?: string;
  port?: number;
}): Promise<EngineHandle> {
  const host = opts.host ?? "127.0.0.1";
  const store = Store.open(opts.dataDir);
  const server = createEngineServer(store);
  // Keep-alive connections must not hold close() hostage.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 6333, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const urlHost = host.includes(":") ? `[${host}]` : host;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${urlHost}:${port}`,
    port,
    exportSnapshot: () => store.exportSnapshot(),
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await store.close();
      })();
      return closing;
    },
  };
}
