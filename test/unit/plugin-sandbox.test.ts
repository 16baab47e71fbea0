import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { invoke, readManifest } from "../../src/plugins/package.js";
import { PluginSandbox } from "../../src/plugins/sandbox/pool.js";

const dirOf = (name: string) => resolve("fixtures/plugins", name);
const open: PluginSandbox[] = [];
async function sandbox(name: string, opts: ConstructorParameters<typeof PluginSandbox>[2] = {}) {
  const dir = dirOf(name);
  const s = new PluginSandbox(dir, await readManifest(dir), opts);
  open.push(s);
  return s;
}
afterAll(() => {
  for (const s of open) s.close();
});
const chunks = (text: string) => [{ id: "c1", text, score: 1 }];

describe("plugin sandbox (issue 19)", () => {
  it("runs the example postprocessor with its configuration, and logs through the host", async () => {
    const logs: string[] = [];
    const s = await sandbox("example-footer", { log: (_p, m) => logs.push(m) });
    const out = await invoke(
      s,
      "postprocessor",
      "process",
      {
        question: "q",
        answer: "Paris.",
        citations: [{ n: 1, documentId: "doc_1" }],
      },
      { footer: "AI-generated." },
    );
    expect(out.answer).toBe("Paris.\n\nAI-generated.");
    expect(logs).toEqual(["footer for an answer with 1 citations"]);
  });

  it("stops a plugin that loops forever with plugin_timeout, and the next call gets a fresh process", async () => {
    const s = await sandbox("hostile-loop");
    const started = Date.now();
    await expect(invoke(s, "reranker", "rerank", { query: "q", chunks: chunks("a") })).rejects.toMatchObject({
      code: "plugin_timeout",
    });
    expect(Date.now() - started).toBeLessThan(4000);
    await expect(invoke(s, "reranker", "rerank", { query: "q", chunks: chunks("a") })).rejects.toMatchObject({
      code: "plugin_timeout",
    });
  });

  it("stops a plugin that allocates without bound with plugin_memory", async () => {
    const s = await sandbox("hostile-memory");
    await expect(invoke(s, "reranker", "rerank", { query: "q", chunks: chunks("a") })).rejects.toMatchObject({
      code: "plugin_memory",
    });
  }, 30_000);

  it("refuses undeclared hosts, network modules, files and processes, even when the plugin catches", async () => {
    const hits: string[] = [];
    const server = createServer((req, res) => {
      hits.push(req.url ?? "");
      res.end("secret");
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    const s = await sandbox("hostile-reach");
    for (const what of ["fetch", "global-fetch", "net", "file", "host-file", "spawn"]) {
      await expect(
        invoke(s, "reranker", "rerank", { query: what, chunks: chunks(`http://127.0.0.1:${port}/x`) }),
        what,
      ).rejects.toMatchObject({ code: "plugin_permission_denied" });
    }
    expect(hits).toEqual([]);
    server.close();
  }, 30_000);

  it("fetches for a plugin only from its declared host", async () => {
    const server = createServer((_req, res) => res.end("hello"));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as AddressInfo).port;
    const dir = dirOf("hostile-reach");
    const m = await readManifest(dir);
    m.permissions.network = [`127.0.0.1:${port}`];
    const s = new PluginSandbox(dir, m, { allowPrivateHosts: true });
    open.push(s);
    const out = await invoke(s, "reranker", "rerank", {
      query: "fetch",
      chunks: chunks(`http://127.0.0.1:${port}/x`),
    });
    expect(out.scores).toEqual([1]);
    server.close();
  });

  it("refuses to run a plugin as a kind it is not", async () => {
    const s = await sandbox("example-footer");
    await expect(
      invoke(s, "reranker" as never, "rerank" as never, { query: "q", chunks: [] } as never),
    ).rejects.toMatchObject({ code: "plugin_invalid" });
  });
});
