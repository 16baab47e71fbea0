import { problemFrom, rawFetch } from "./client";

export interface SseEvent {
  event: string;
  data: string;
}

/**
 * Reads a Server-Sent Events response with fetch streaming. EventSource cannot send an
 * Authorization header, and the API takes keys only in headers, so the console parses the stream itself.
 */
export async function* readSse(res: Response): AsyncGenerator<SseEvent> {
  if (!res.body) return;
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value.replace(/\r\n?/g, "\n");
      let end = buffer.indexOf("\n\n");
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let event = "message";
        const data: string[] = [];
        for (const line of block.split("\n")) {
          if (line.startsWith(":")) continue;
          const colon = line.indexOf(":");
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
          if (field === "event") event = value;
          else if (field === "data") data.push(value);
        }
        if (data.length) yield { event, data: data.join("\n") };
        end = buffer.indexOf("\n\n");
      }
    }
  } finally {
    reader.releaseLock();
  }
}

/** Opens an SSE stream with the signed-in key; throws the API's problem on a non-2xx answer. */
export async function streamSse(
  path: string,
  init: RequestInit & { signal: AbortSignal },
): Promise<AsyncGenerator<SseEvent>> {
  const res = await rawFetch(path, { ...init, headers: { accept: "text/event-stream", ...init.headers } });
  if (!res.ok) throw await problemFrom(res);
  return readSse(res);
}
