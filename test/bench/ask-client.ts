/** The bench's HTTP side: one /v1/ask call read as SSE, timed at the first `delta` event. */
import { type Agent, request } from "node:http";

export const now = () => performance.timeOrigin + performance.now();

export interface AskTiming {
  status: number;
  sentAt: number;
  firstDeltaAt: number | null;
  firstDeltaText: string | null;
}

export interface OpenStream {
  /** Resolves when the first delta arrived (the stream is live); rejects on any failure before it. */
  opened: Promise<void>;
  /** True once the response ended or failed after opening (it should not, while held). */
  ended(): boolean;
  close(): void;
}

const DELTA = /event: delta\ndata: (.*)\n/;

function post(agent: Agent, url: string, key: string, body: unknown) {
  const payload = JSON.stringify(body);
  return request(`${url}/v1/ask`, {
    method: "POST",
    agent,
    headers: {
      authorization: `Bearer ${key}`,
      "content-type": "application/json",
      "content-length": Buffer.byteLength(payload),
    },
  }).end(payload);
}

/** Sends one ask and reads it to the end; times the first delta. */
export function timedAsk(agent: Agent, url: string, key: string, body: unknown): Promise<AskTiming> {
  return new Promise((resolve, reject) => {
    const sentAt = now();
    const req = post(agent, url, key, body);
    req.on("error", reject);
    req.on("response", (res) => {
      let buf = "";
      let firstDeltaAt: number | null = null;
      let firstDeltaText: string | null = null;
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        if (firstDeltaAt !== null) return;
        buf += chunk;
        const m = DELTA.exec(buf);
        if (m) {
          firstDeltaAt = now();
          firstDeltaText = (JSON.parse(m[1]!) as { text: string }).text;
        }
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, sentAt, firstDeltaAt, firstDeltaText }));
      res.on("error", reject);
    });
  });
}

/** Opens an ask stream and keeps it open until close(). */
export function openStream(agent: Agent, url: string, key: string, body: unknown): OpenStream {
  let done = false;
  let close = () => {};
  const opened = new Promise<void>((resolve, reject) => {
    const req = post(agent, url, key, body);
    close = () => {
      done = true;
      req.destroy();
    };
    req.on("error", (e) => {
      done = true;
      reject(e);
    });
    req.on("response", (res) => {
      if (res.statusCode !== 200) {
        done = true;
        res.resume();
        reject(new Error(`status ${res.statusCode}`));
        return;
      }
      let buf = "";
      let live = false;
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        if (live) return;
        buf += chunk;
        if (buf.includes("event: error"))
          reject(new Error(`error event: ${buf.slice(buf.indexOf("event: error"), 300)}`));
        if (DELTA.test(buf)) {
          live = true;
          buf = "";
          resolve();
        }
      });
      res.on("close", () => {
        done = true;
        if (!live) reject(new Error("stream ended before its first delta"));
      });
    });
  });
  opened.catch(() => {});
  return { opened, ended: () => done, close: () => close() };
}
