/**
 * A fetch that sends requests for one origin over a few HTTP/2 cleartext sessions, used by the bench
 * server so 10,000 concurrent provider streams fit in a handful of sockets (the container caps open
 * files at 20,000 per process). Every other origin goes to the original fetch.
 */
import { type ClientHttp2Session, connect, constants } from "node:http2";
import { Readable } from "node:stream";

export function installH2Fetch(origin: string, sessions = 8): void {
  const original = globalThis.fetch;
  const pool: ClientHttp2Session[] = [];
  let next = 0;
  const session = () => {
    const i = next++ % sessions;
    let s = pool[i];
    if (!s || s.closed || s.destroyed) {
      s = connect(origin);
      s.on("error", () => {});
      s.unref();
      pool[i] = s;
    }
    return s;
  };

  const prefix = `${origin}/`;
  globalThis.fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    // Decide on the bare URL: building a Request for every other call (the vector store's) costs the
    // API process measurable CPU that production would not spend.
    const href = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    if (!href.startsWith(prefix)) return original(input, init);
    const request = new Request(input, init);
    const url = new URL(request.url);
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    const headers: Record<string, string> = { ":method": request.method, ":path": url.pathname + url.search };
    request.headers.forEach((v, k) => {
      if (k !== "host" && k !== "connection" && k !== "content-length") headers[k] = v;
    });
    return send(session(), headers, body, init?.signal ?? request.signal);
  };
}

/** Separate from fetch so the long-lived closures below do not keep the request body alive. */
function send(
  session: ClientHttp2Session,
  headers: Record<string, string>,
  body: Buffer | undefined,
  signal: AbortSignal | null | undefined,
): Promise<Response> {
  const stream = session.request(headers, { endStream: !body });
  if (body) stream.end(body);
  const onAbort = () => stream.close(constants.NGHTTP2_CANCEL);
  signal?.addEventListener("abort", onAbort, { once: true });
  stream.on("close", () => signal?.removeEventListener("abort", onAbort));
  return new Promise<Response>((resolve, reject) => {
    stream.once("error", reject);
    stream.once("response", (h) => {
      const responseHeaders = new Headers();
      for (const [k, v] of Object.entries(h))
        if (!k.startsWith(":") && v !== undefined) responseHeaders.set(k, String(v));
      resolve(
        new Response(Readable.toWeb(stream) as ReadableStream<Uint8Array>, {
          status: Number(h[":status"]),
          headers: responseHeaders,
        }),
      );
    });
  });
}
