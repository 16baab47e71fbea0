import { readFileSync } from "node:fs";

/**
 * The SciFact abstracts the bulk benchmarks ingest (/work/shared/data, or BENCH_BULK_CORPUS), the
 * first BENCH_BULK_LIMIT of them, and the two shapes they are sent in.
 */
export interface Abstract {
  _id: string;
  title: string;
  text: string;
}

export const CORPUS = process.env.BENCH_BULK_CORPUS ?? "/work/shared/data/scifact/corpus.jsonl";

export function loadCorpus(): Abstract[] {
  const limit = Number(process.env.BENCH_BULK_LIMIT ?? Number.POSITIVE_INFINITY);
  return readFileSync(CORPUS, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Abstract)
    .slice(0, limit);
}

/** One document's text, as both the upload and the JSONL line carry it. */
export const documentText = (d: Abstract) => `${d.title}\n\n${d.text}`;

/** The bulk import body: one line per abstract (titles cut to the API's 255 characters). */
export function jsonlBody(corpus: Abstract[]): string {
  return corpus
    .map((d) =>
      JSON.stringify({ external_id: d._id, title: (d.title || d._id).slice(0, 255), text: documentText(d) }),
    )
    .join("\n");
}

/**
 * One abstract as one multipart upload (the file and its external_id) to the knowledge base's
 * documents at `url`, through `send` (fetch, or an app's in-process request); throws unless accepted.
 */
export async function uploadAbstract(
  send: (url: string, init: RequestInit) => Promise<Response> | Response,
  url: string,
  key: string,
  doc: Abstract,
): Promise<void> {
  const form = new FormData();
  form.set("file", new File([documentText(doc)], `${doc._id}.txt`));
  form.set("external_id", doc._id);
  const res = await send(url, { method: "POST", headers: { authorization: `Bearer ${key}` }, body: form });
  if (res.status !== 202) throw new Error(`upload ${doc._id}: ${res.status} ${await res.text()}`);
  await res.arrayBuffer();
}

/** Sends every abstract through `upload`, `inFlight` at a time. */
export async function uploadEach(
  corpus: Abstract[],
  inFlight: number,
  upload: (doc: Abstract, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < corpus.length) {
      const i = next++;
      await upload(corpus[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
}

/**
 * Sends the corpus as one bulk import through `send` (fetch, or an app's in-process request) and
 * throws unless every line was accepted.
 */
export async function importJsonl(
  send: (url: string, init: RequestInit) => Promise<Response> | Response,
  url: string,
  key: string,
  corpus: Abstract[],
): Promise<void> {
  const res = await send(url, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/x-ndjson" },
    body: jsonlBody(corpus),
  });
  const result = (await res.json()) as { failed?: number; errors?: unknown[] };
  if (res.status !== 200 || (result.failed ?? 0) > 0)
    throw new Error(`bulk: ${res.status} ${JSON.stringify(result.errors?.slice(0, 3))}`);
}
