import { AskStream } from "./ask-stream.js";
import { AiHubError } from "./errors.js";
import { type Body, type ClientOptions, type Ok, type Query, Transport } from "./http.js";
import { readEvents } from "./sse.js";
import type {
  AskRequest,
  Document,
  DocumentEvent,
  DocumentUploadAccepted,
  KnowledgeBase,
  Page,
  SendMessage,
} from "./types.js";

const enc = encodeURIComponent;

/** Walks a cursor-paged list: yields every item, fetching the next page when the last is used up. */
async function* pages<T>(fetchPage: (cursor?: string) => Promise<Page<T>>): AsyncGenerator<T> {
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor);
    yield* page.data;
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
}

export type UploadSource = Blob | Uint8Array | ArrayBuffer | string;

export interface UploadOptions {
  /** The file name; required for bytes, taken from the path or File otherwise. */
  filename?: string;
  metadata?: Record<string, string | number | boolean>;
  externalId?: string;
  signal?: AbortSignal;
}

/**
 * A path is read with node:fs only when one is given; the specifier is a variable so bundlers for
 * browsers and Workers leave it out and the package needs no Node types.
 */
const NODE_FS = "node:fs/promises";

async function toBlob(source: UploadSource, filename?: string): Promise<{ blob: Blob; name: string }> {
  if (typeof source === "string") {
    const fs = (await import(/* @vite-ignore */ NODE_FS)) as { readFile(p: string): Promise<Uint8Array> };
    const bytes = await fs.readFile(source);
    return { blob: new Blob([bytes as BlobPart]), name: filename ?? source.split(/[\\/]/).pop()! };
  }
  const name = filename ?? (source as { name?: string }).name;
  if (!name) throw new TypeError("documents.upload: pass `filename` with raw bytes or a Blob.");
  const blob = source instanceof Blob ? source : new Blob([source as BlobPart]);
  return { blob, name };
}

export class AiHub {
  private readonly http: Transport;

  constructor(opts: ClientOptions) {
    this.http = new Transport(opts);
  }

  readonly knowledgeBases = {
    create: (body: Body<"/v1/knowledge-bases", "post">) =>
      this.http.json<Ok<"/v1/knowledge-bases", "post">>("POST", "/v1/knowledge-bases", { json: body }),
    get: (id: string) => this.http.json<KnowledgeBase>("GET", `/v1/knowledge-bases/${enc(id)}`),
    update: (id: string, body: Body<"/v1/knowledge-bases/{id}", "patch">) =>
      this.http.json<KnowledgeBase>("PATCH", `/v1/knowledge-bases/${enc(id)}`, { json: body }),
    delete: (id: string) =>
      this.http.json<Ok<"/v1/knowledge-bases/{id}", "delete">>("DELETE", `/v1/knowledge-bases/${enc(id)}`),
    /** Every knowledge base the key sees, page by page as the loop goes. */
    list: (query: { limit?: number } = {}) =>
      pages((cursor) =>
        this.http.json<Page<KnowledgeBase>>("GET", "/v1/knowledge-bases", { query: { ...query, cursor } }),
      ),
  };

  readonly documents = {
    /** Uploads a file (path, Blob/File or bytes) for ingestion; answers at once with the queued document. */
    upload: async (kbId: string, source: UploadSource, o: UploadOptions = {}) => {
      const { blob, name } = await toBlob(source, o.filename);
      const form = new FormData();
      form.set("file", blob, name);
      if (o.metadata) form.set("metadata", JSON.stringify(o.metadata));
      if (o.externalId) form.set("external_id", o.externalId);
      return this.http.json<DocumentUploadAccepted>("POST", `/v1/knowledge-bases/${enc(kbId)}/documents`, {
        body: form,
        signal: o.signal,
      });
    },
    get: (id: string) => this.http.json<Document>("GET", `/v1/documents/${enc(id)}`),
    delete: (id: string) =>
      this.http.json<Ok<"/v1/documents/{id}", "delete">>("DELETE", `/v1/documents/${enc(id)}`),
    list: (kbId: string, query: Omit<Query<"/v1/knowledge-bases/{id}/documents", "get">, "cursor"> = {}) =>
      pages((cursor) =>
        this.http.json<Page<Document>>("GET", `/v1/knowledge-bases/${enc(kbId)}/documents`, {
          query: { ...query, cursor },
        }),
      ),
    /** The document's progress events until it is ready, failed or deleted. */
    events: (id: string, signal?: AbortSignal) => this.documentEvents(id, signal),
    /**
     * Follows the events stream until the document is ready; throws an AiHubError (code
     * `ingestion_failed`) with the document's error when ingestion fails.
     */
    waitUntilReady: async (id: string, o: { signal?: AbortSignal } = {}): Promise<Document> => {
      for await (const e of this.documents.events(id, o.signal)) {
        if (e.type === "ready") return e.data;
        if (e.type === "failed" || e.type === "deleted") {
          const detail =
            e.type === "failed" ? JSON.stringify(e.data.error ?? null) : "the document was deleted";
          throw new AiHubError(422, {
            code: "ingestion_failed" as never,
            detail: `Document ${id}: ${detail}`,
          });
        }
      }
      return this.documents.get(id);
    },
  };

  private async *documentEvents(id: string, signal?: AbortSignal): AsyncGenerator<DocumentEvent> {
    const res = await this.http.send("GET", `/v1/documents/${enc(id)}/events`, { signal });
    if (!res.body) return;
    for await (const e of readEvents(res.body)) yield { type: e.event, data: e.data } as DocumentEvent;
  }

  /** Hybrid retrieval: the best chunks with their documents and pages. */
  search(body: Body<"/v1/search", "post">, o: { signal?: AbortSignal } = {}) {
    return this.http.json<Ok<"/v1/search", "post">>("POST", "/v1/search", { json: body, signal: o.signal });
  }

  /** A grounded answer, streamed: iterate the typed events, or `await (await hub.ask(...)).finalAnswers()`. */
  async ask(body: AskRequest, o: { signal?: AbortSignal } = {}): Promise<AskStream> {
    const res = await this.http.send("POST", "/v1/ask", {
      json: { ...body, stream: true },
      headers: { accept: "text/event-stream" },
      signal: o.signal,
    });
    return new AskStream(res);
  }

  readonly conversations = {
    create: (body: Body<"/v1/conversations", "post">) =>
      this.http.json<Ok<"/v1/conversations", "post">>("POST", "/v1/conversations", { json: body }),
    get: (id: string) =>
      this.http.json<Ok<"/v1/conversations/{id}", "get">>("GET", `/v1/conversations/${enc(id)}`),
    /** The next question; follow-ups are rewritten into standalone queries. Streams like ask(). */
    send: async (id: string, body: SendMessage, o: { signal?: AbortSignal } = {}) =>
      new AskStream(
        await this.http.send("POST", `/v1/conversations/${enc(id)}/messages`, {
          json: { ...body, stream: true },
          headers: { accept: "text/event-stream" },
          signal: o.signal,
        }),
      ),
  };

  readonly usage = {
    get: (query: Omit<Query<"/v1/usage", "get">, "format"> = {}) =>
      this.http.json<Ok<"/v1/usage", "get">>("GET", "/v1/usage", { query }),
  };

  readonly keys = {
    list: () => this.http.json<Ok<"/v1/keys", "get">>("GET", "/v1/keys"),
    create: (body: Body<"/v1/keys", "post">) =>
      this.http.json<Ok<"/v1/keys", "post">>("POST", "/v1/keys", { json: body }),
    revoke: (id: string) => this.http.send("DELETE", `/v1/keys/${enc(id)}`).then(() => undefined),
  };
}
