/**
 * The widget's world for browser tests and the widget benchmark: the API (real app, stub model,
 * embedded engine) on one port, and customer web pages served from other ports, so every request the
 * widget makes is cross-origin as on a real site.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type ServerType, serve } from "@hono/node-server";
import { buildWidget } from "../../src/widget/build.js";
import { type AskTestApp, STUB_PRICE, startAskTestApp } from "./ask-app.js";
import { indexDocument } from "./search-index.js";
import { seedSupport } from "./support-seed.js";

export const WIDGET_ANSWER =
  "Hold the **reset** button for ten seconds; the reset takes about two minutes [1]. See [the guide](https://example.com/guide) or [this](javascript:alert(1)) <img src=x onerror=alert(1)>";

export interface HostPage {
  html: string;
  headers?: Record<string, string>;
}

export interface HostSite {
  origin: string;
  pages: Map<string, HostPage>;
  close(): Promise<void>;
}

async function listen(server: Server | ServerType): Promise<number> {
  await new Promise<void>((resolve) =>
    (server as Server).listening ? resolve() : server.once("listening", resolve),
  );
  return ((server as Server).address() as AddressInfo).port;
}

/** A static site serving whatever pages the test puts in `pages` (path -> html + headers). */
export async function startHostSite(): Promise<HostSite> {
  const pages = new Map<string, HostPage>();
  const server = createServer((req, res) => {
    const page = pages.get((req.url ?? "/").split("?")[0]!);
    if (req.url === "/favicon.ico") {
      res.writeHead(204).end();
      return;
    }
    if (!page) {
      res.writeHead(404).end("no such page");
      return;
    }
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", ...page.headers });
    res.end(page.html);
  });
  server.listen(0, "127.0.0.1");
  const port = await listen(server);
  return {
    origin: `http://127.0.0.1:${port}`,
    pages,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface WidgetWorld {
  a: AskTestApp;
  api: string;
  seed: Awaited<ReturnType<typeof seedSupport>>;
  widgetGzipBytes: number;
  createEmbed(body: Record<string, unknown>): Promise<{ id: string; signing_secret: string }>;
  close(): Promise<void>;
}

export async function startWidgetWorld(opts: { dripMs?: number } = {}): Promise<WidgetWorld> {
  const a = await startAskTestApp("pglite", {
    models: [{ id: "paced", provider: "stub", upstream: "stub-paced", price: STUB_PRICE }],
    stub: { answer: WIDGET_ANSWER, dripMs: opts.dripMs ?? 40 },
  });
  const built = await buildWidget();
  a.t.deps.widget = built;
  const seed = await seedSupport(a);
  // For the Chinese and Arabic screenshots: the same manual page in those languages.
  await indexDocument(a.t.deps.database, a.fx, {
    tenantId: seed.tenantId,
    kbId: seed.kbId,
    title: "路由器使用手册",
    chunks: [{ text: "如何重置路由器：按住路由器背面的重置按钮十秒钟。重置大约需要两分钟。", pageStart: 4 }],
  });
  await indexDocument(a.t.deps.database, a.fx, {
    tenantId: seed.tenantId,
    kbId: seed.kbId,
    // The extractive answerer quotes only sentences it sees starting, and in an uncased script the
    // first sentence of a chunk does not look like one to it: the reset instructions come second.
    title: "دليل الراوتر",
    chunks: [
      {
        text: "يدعم الراوتر شبكة واي فاي 6. لإعادة ضبط الراوتر اضغط زر إعادة الضبط لمدة عشر ثوانٍ، وتستغرق إعادة الضبط دقيقتين تقريبًا.",
        pageStart: 4,
      },
    ],
  });
  const server = serve({ fetch: a.t.app.fetch, port: 0, hostname: "127.0.0.1" });
  const port = await listen(server);
  return {
    a,
    api: `http://127.0.0.1:${port}`,
    seed,
    widgetGzipBytes: built.gzipBytes,
    async createEmbed(body) {
      const r = await a.t.call("POST", "/v1/embeds", {
        key: seed.adminKey,
        body: { name: "Help bot", knowledge_base_ids: [seed.kbId], ...body },
      });
      if (r.status !== 201) throw new Error(`embed create failed: ${JSON.stringify(r.body)}`);
      return r.body;
    },
    async close() {
      await new Promise<void>((resolve) => {
        (server as unknown as { closeAllConnections(): void }).closeAllConnections();
        server.close(() => resolve());
      });
      await a.close();
    },
  };
}

/** A page with the one-tag snippet (plus optional extra attributes, head and body markup). */
export function snippetPage(
  api: string,
  embedId: string,
  opts: { attrs?: string; head?: string; body?: string; script?: boolean } = {},
): string {
  const tag =
    opts.script === false
      ? ""
      : `<script src="${api}/widget.js" data-embed-id="${embedId}" ${opts.attrs ?? ""} async></script>`;
  return `<!doctype html><html><head><meta charset="utf-8"><title>Shop</title>${opts.head ?? ""}</head><body><h1>Our shop</h1>${opts.body ?? ""}${tag}</body></html>`;
}
