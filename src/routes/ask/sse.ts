import type { Socket } from "node:net";
import type { Context } from "hono";
import type { AskEvent } from "../../services/ask/events.js";

const encoder = new TextEncoder();

/** One Server-Sent Event; JSON never contains a raw newline, so `data` is always a single line. */
export function sseFrame(e: AskEvent): Uint8Array {
  return encoder.encode(`event: ${e.type}\ndata: ${JSON.stringify(e.data)}\n\n`);
}

/**
 * Streams the ask's events as SSE through a single pull-driven ReadableStream: each read pulls the next
 * event, so nothing is buffered ahead of the socket. Hono's streamSSE would put a TransformStream, a
 * writer and a second ReadableStream behind every response, which adds up with thousands of open
 * streams. When the client goes away the server cancels the body: `onCancel` aborts the model calls and
 * the generator is closed, which waits for their ledger rows.
 */
/**
 * Node only: the adapter writes the headers the moment the response starts (see below) and the first
 * frame a few microtasks later, two writes. Holding the socket until the end of this event-loop turn
 * sends both in one when the first frame is ready in this turn (an ask's sources are queued before the
 * response starts); nothing is held past the turn, so a frame that comes later (a first token) is not
 * delayed. About one syscall in ten of a streamed ask.
 */
function sendHeadersWithFirstFrame(c: Context): void {
  const socket = (c.env as { outgoing?: { socket?: Socket | null } } | undefined)?.outgoing?.socket;
  if (!socket || socket.destroyed || socket.writableCorked) return;
  socket.cork();
  setImmediate(() => socket.uncork());
}

export function sseResponse<E = AskEvent>(
  c: Context,
  events: AsyncGenerator<E>,
  onCancel: () => void,
  /** Another wire shape (OpenAI's chunks) over the same events; null sends nothing for an event. */
  frame: (e: E) => Uint8Array | null = sseFrame as (e: E) => Uint8Array,
): Response {
  let cancelled = false;
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        for (;;) {
          const next = await events.next();
          if (cancelled) return;
          if (next.done) return controller.close();
          const bytes = frame(next.value);
          if (bytes) return controller.enqueue(bytes);
        }
      },
      async cancel() {
        cancelled = true;
        onCancel();
        await events.return(undefined);
      },
    },
    { highWaterMark: 0 },
  );
  sendHeadersWithFirstFrame(c);
  return c.body(body, 200, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    connection: "keep-alive",
    // Tells the Node adapter to send headers at once instead of reading ahead to size the body.
    "transfer-encoding": "chunked",
  });
}
