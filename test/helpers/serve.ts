import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";

/** Serves an app over real HTTP on a free port, for clients (SDKs) that only speak HTTP. */
export async function serveOverHttp(app: { fetch: (req: Request) => Response | Promise<Response> }) {
  return new Promise<{ baseURL: string; close(): Promise<void> }>((resolve) => {
    const server = serve({ fetch: app.fetch, hostname: "127.0.0.1", port: 0 }, (info: AddressInfo) => {
      resolve({
        baseURL: `http://127.0.0.1:${info.port}`,
        close: () =>
          new Promise<void>((done) => {
            (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
            server.close(() => done());
          }),
      });
    });
  });
}
