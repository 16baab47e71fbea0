/**
 * The provider stand-in for bench:ask, run as its own process: an OpenAI chat-completions server over
 * HTTP/2 cleartext (one connection carries thousands of streams, so the API process's file descriptors
 * go to its clients, not to the provider). Models:
 *   bench-ttft  first token after BENCH_TTFT_MS; the first delta carries the stub's receive and send
 *               times (epoch ms, sub-ms precision) so the client can subtract the provider's own time
 *   bench-hold  first token at once, then a delta every BENCH_HOLD_DELTA_MS until the caller hangs up
 * Prints "stub listening on <url>".
 */
import { createServer, type ServerHttp2Stream } from "node:http2";

const TTFT_MS = Number(process.env.BENCH_TTFT_MS ?? 50);
const HOLD_DELTA_MS = Number(process.env.BENCH_HOLD_DELTA_MS ?? 5000);
const now = () => performance.timeOrigin + performance.now();

function chunk(model: string, content: string | null, usage?: object): string {
  const choices = content === null ? [] : [{ index: 0, delta: { content }, finish_reason: null }];
  return `data: ${JSON.stringify({ id: "bench", object: "chat.completion.chunk", created: 0, model, choices, ...(usage ? { usage } : {}) })}\n\n`;
}

function answer(stream: ServerHttp2Stream, body: { model?: string; messages?: { content?: string }[] }) {
  const recv = now();
  const model = String(body.model);
  const promptTokens = (body.messages ?? []).reduce(
    (n, m) => n + String(m.content ?? "").split(/\s+/).length,
    0,
  );
  stream.respond({ ":status": 200, "content-type": "text/event-stream" });
  let timer: NodeJS.Timeout | undefined;
  stream.on("close", () => clearTimeout(timer));
  const write = (s: string) => {
    if (!stream.destroyed && !stream.closed) stream.write(s);
  };
  if (model === "bench-hold") {
    let n = 0;
    const tick = () => {
      write(chunk(model, ` t${n++}`));
      timer = setTimeout(tick, HOLD_DELTA_MS);
    };
    tick();
    return;
  }
  timer = setTimeout(() => {
    write(chunk(model, ` @recv=${recv.toFixed(3)},send=${now().toFixed(3)}`));
    write(chunk(model, " The answer cites [1]."));
    write(
      chunk(model, null, {
        prompt_tokens: promptTokens,
        completion_tokens: 2,
        total_tokens: promptTokens + 2,
      }),
    );
    if (!stream.destroyed) stream.end("data: [DONE]\n\n");
  }, TTFT_MS);
}

const server = createServer();
server.on("stream", (stream, headers) => {
  const chunks: Buffer[] = [];
  stream.on("data", (c: Buffer) => chunks.push(c));
  stream.on("error", () => {});
  stream.on("end", () => {
    if (headers[":method"] !== "POST" || !String(headers[":path"]).endsWith("/chat/completions")) {
      stream.respond({ ":status": 404 });
      stream.end();
      return;
    }
    answer(stream, JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}"));
  });
});
server.on("sessionError", () => {});
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  process.stdout.write(`stub listening on http://127.0.0.1:${port}\n`);
});
process.on("SIGTERM", () => process.exit(0));
