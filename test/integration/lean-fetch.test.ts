import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLeanFetch } from "../../src/lean-fetch.js";
import { routeVectorStoreFetch, vectorStorePrefixes } from "../../src/vector/engine-fetch.js";
import { freePort } from "../helpers/cluster.js";

/** What the lean fetch must keep of fetch's behaviour, against a real local HTTP server. */
let server: Server;
let base: string;
const seen: { method?: string; url?: string; headers: IncomingMessage["headers"]; body: string }[] = [];
/** Lets a test release a held stream. */
let release: (() => void) | undefined;

function handle(req: IncomingMessage, res: ServerResponse, body: string) {
  seen.push({ method: req.method, url: req.url, headers: req.headers, body });
  switch (req.url) {
    case "/json":
      res.writeHead(201, { "content-type": "application/json", "x-request-id": "req_1" });
      return res.end(JSON.stringify({ echo: body }));
    case "/sse": {
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write("data: one\n\n");
      // The second event waits for the test: the first must reach the reader on its own.
      release = () => res.end("data: two\n\n");
      return;
    }
    case "/hang":
      res.writeHead(200, { "content-type": "text/event-stream" });
      res.write("data: start\n\n");
      return;
    case "/slow-headers":
      return void setTimeout(() => res.writeHead(200).end("late"), 5_000);
    case "/gzip":
      res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
      return res.end(gzipSync(JSON.stringify({ zipped: true })));
    case "/moved":
    case "/store/moved":
      res.writeHead(307, { location: "/json" });
      return res.end();
    case "/empty":
      res.writeHead(204);
      return res.end();
    case "/multi-cookie":
      res.setHeader("set-cookie", ["a=1", "b=2"]);
      res.writeHead(200);
      return res.end("ok");
    default:
      res.writeHead(404);
      return res.end("no");
  }
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (body += c));
    req.on("end", () => handle(req, res, body));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe("lean fetch", () => {
  const f = createLeanFetch();

  it("sends method, headers and body, and gives status, headers and body back", async () => {
    const headers = new Headers({ authorization: "Bearer sk-test", "content-type": "application/json" });
    const r = await f(`${base}/json`, { method: "post", headers, body: '{"q":1}' });
    expect(r.status).toBe(201);
    expect(r.ok).toBe(true);
    expect(r.headers.get("x-request-id")).toBe("req_1");
    expect(await r.json()).toEqual({ echo: '{"q":1}' });
    const req = seen.at(-1)!;
    expect(req.method).toBe("POST");
    expect(req.headers.authorization).toBe("Bearer sk-test");
    // A plain object and a URL are accepted too, as fetch accepts them.
    const r2 = await f(new URL(`${base}/json`), { method: "POST", headers: { "x-a": "b" }, body: "x" });
    expect(await r2.json()).toEqual({ echo: "x" });
    expect(seen.at(-1)!.headers["x-a"]).toBe("b");
  });

  it("streams: the first event is readable before the server ends the response", async () => {
    const r = await f(`${base}/sse`, { method: "POST", body: "{}" });
    const reader = r.body!.getReader();
    const first = await reader.read();
    expect(new TextDecoder().decode(first.value)).toBe("data: one\n\n");
    release!();
    let rest = "";
    for (let c = await reader.read(); !c.done; c = await reader.read())
      rest += new TextDecoder().decode(c.value);
    expect(rest).toBe("data: two\n\n");
  });

  it("rejects with an AbortError when the signal aborts before the headers", async () => {
    const ac = new AbortController();
    const pending = f(`${base}/slow-headers`, { signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    // Already aborted: refused without a request.
    const before = seen.length;
    await expect(f(`${base}/json`, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: "AbortError",
    });
    expect(seen.length).toBe(before);
  });

  it("ends the body with an AbortError when the signal aborts mid-stream", async () => {
    const ac = new AbortController();
    const r = await f(`${base}/hang`, { signal: ac.signal });
    const reader = r.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe("data: start\n\n");
    ac.abort();
    await expect(reader.read()).rejects.toMatchObject({ name: "AbortError" });
  });

  it("decodes a gzip body, follows a redirect, and gives a null body for 204", async () => {
    const z = await f(`${base}/gzip`);
    expect(z.headers.get("content-encoding")).toBeNull();
    expect(await z.json()).toEqual({ zipped: true });
    const moved = await f(`${base}/moved`, { method: "POST", body: "again" });
    expect(moved.status).toBe(201);
    expect(await moved.json()).toEqual({ echo: "again" });
    const empty = await f(`${base}/empty`, { method: "DELETE" });
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();
    const cookies = await f(`${base}/multi-cookie`);
    expect(cookies.headers.getSetCookie()).toEqual(["a=1", "b=2"]);
  });

  it("gives a non-2xx response as a response, and a refused connection as a rejection", async () => {
    const r = await f(`${base}/nowhere`);
    expect(r.status).toBe(404);
    expect(await r.text()).toBe("no");
    const port = await freePort();
    await expect(f(`http://127.0.0.1:${port}/x`)).rejects.toMatchObject({ code: "ECONNREFUSED" });
  });

  it("hands bodies it does not handle (FormData) to the global fetch", async () => {
    const form = new FormData();
    form.append("purpose", "assistants");
    const r = await f(`${base}/json`, { method: "POST", body: form });
    expect(r.status).toBe(201);
    expect(seen.at(-1)!.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    expect(seen.at(-1)!.body).toContain('name="purpose"');
  });
});

describe("the vector store's requests routed through the lean fetch", () => {
  it("names the URLs the Qdrant client calls, with the port it adds when none is given", () => {
    expect(vectorStorePrefixes("http://127.0.0.1:6333")).toEqual(["http://127.0.0.1:6333/"]);
    expect(vectorStorePrefixes("https://q.example.com/")).toEqual([
      "https://q.example.com/",
      "https://q.example.com:6333/",
    ]);
    expect(vectorStorePrefixes("http://qdrant:6333/prefix/")).toEqual(["http://qdrant:6333/prefix/"]);
  });

  it("sends the vector store's calls through it and passes every other call to the global fetch unchanged", async () => {
    const original = globalThis.fetch;
    routeVectorStoreFetch(`${base}/store`);
    try {
      expect(globalThis.fetch).not.toBe(original);
      // Routed: the lean fetch follows the redirect whatever `redirect` says (the Qdrant client never sets it).
      const routed = await fetch(`${base}/store/moved`, { method: "POST", body: "y", redirect: "manual" });
      expect(routed.status).toBe(201);
      expect(await routed.json()).toEqual({ echo: "y" });
      // Not routed: the global fetch's own behaviour, here `redirect: "manual"`, is kept.
      const passed = await fetch(`${base}/moved`, { method: "POST", body: "x", redirect: "manual" });
      expect(passed.status).toBe(307);
      // A body the lean fetch hands on (FormData) to a routed URL reaches the original fetch, not a loop.
      const form = new FormData();
      form.append("part", "p");
      const handed = await fetch(`${base}/store/moved`, { method: "POST", body: form, redirect: "manual" });
      expect(handed.status).toBe(307);
      // A Request object goes to the global fetch too, whatever its URL.
      const req = await fetch(new Request(`${base}/json`, { method: "POST", body: "r" }));
      expect(await req.json()).toEqual({ echo: "r" });
    } finally {
      globalThis.fetch = original;
    }
  });
});
