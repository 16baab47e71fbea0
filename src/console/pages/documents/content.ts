import { ApiProblem, problemFrom, rawFetch } from "../../api/client";
import type { Doc } from "./progress";

/**
 * GET /v1/documents/{id}/chunks, /text and /content are being added to the API (issue 11, item 8) in
 * parallel with the console, so they are not in the generated types yet: they are called through the
 * same authenticated fetch and read defensively. Once they are in /openapi.json, `npm run console:api`
 * types them and these calls can move to the typed client.
 */

/** The API's catch-all 404 (no such route) as opposed to "no such document". */
export const NOT_AVAILABLE = "not_available" as const;

async function getOrUnavailable(path: string): Promise<Response | typeof NOT_AVAILABLE> {
  const res = await rawFetch(path);
  if (res.ok) return res;
  const problem = await problemFrom(res);
  if (res.status === 404 && /^No route for/.test(problem.detail)) return NOT_AVAILABLE;
  if (res.status === 405 || res.status === 501) return NOT_AVAILABLE;
  throw problem;
}

export interface ChunkView {
  id: string;
  ordinal: number | null;
  text: string;
  page_start: number | null;
  page_end: number | null;
  heading_path: string[];
  char_start: number | null;
  char_end: number | null;
}

const num = (v: unknown) => (typeof v === "number" ? v : null);

function toChunk(raw: Record<string, unknown>, i: number): ChunkView {
  return {
    id: String(raw.id ?? raw.chunk_id ?? i),
    ordinal: num(raw.ordinal ?? raw.chunk ?? raw.index),
    text: typeof raw.text === "string" ? raw.text : "",
    page_start: num(raw.page_start),
    page_end: num(raw.page_end),
    heading_path: Array.isArray(raw.heading_path) ? raw.heading_path.map(String) : [],
    char_start: num(raw.char_start),
    char_end: num(raw.char_end),
  };
}

export async function fetchChunks(
  docId: string,
  cursor: string | undefined,
  limit = 20,
): Promise<{ data: ChunkView[]; next_cursor: string | null } | typeof NOT_AVAILABLE> {
  const q = new URLSearchParams({ limit: String(limit), ...(cursor ? { cursor } : {}) });
  const res = await getOrUnavailable(`/v1/documents/${encodeURIComponent(docId)}/chunks?${q}`);
  if (res === NOT_AVAILABLE) return res;
  const body = (await res.json()) as { data?: Record<string, unknown>[]; next_cursor?: string | null };
  return { data: (body.data ?? []).map(toChunk), next_cursor: body.next_cursor ?? null };
}

export interface PageText {
  page: number;
  text: string;
}

/** The extracted text, split into pages when the API says where pages start. */
export async function fetchText(
  docId: string,
): Promise<{ text: string; pages: PageText[] } | typeof NOT_AVAILABLE> {
  const res = await getOrUnavailable(`/v1/documents/${encodeURIComponent(docId)}/text`);
  if (res === NOT_AVAILABLE) return res;
  if (!(res.headers.get("content-type") ?? "").includes("json")) return { text: await res.text(), pages: [] };
  const body = (await res.json()) as { text?: string; pages?: unknown[] };
  const text = body.text ?? "";
  const pages: PageText[] = [];
  for (const [i, p] of (body.pages ?? []).entries()) {
    const page = p as Record<string, unknown>;
    if (typeof page.text === "string") pages.push({ page: num(page.page) ?? i + 1, text: page.text });
    else if (typeof page.char_start === "number" && typeof page.char_end === "number")
      pages.push({ page: num(page.page) ?? i + 1, text: text.slice(page.char_start, page.char_end) });
  }
  return { text, pages };
}

/** The original upload as a Blob, for download and for retrying a failed document. */
export async function fetchOriginal(docId: string): Promise<Blob | typeof NOT_AVAILABLE> {
  const res = await getOrUnavailable(`/v1/documents/${encodeURIComponent(docId)}/content`);
  if (res === NOT_AVAILABLE) return res;
  return res.blob();
}

/** What a failed document can be re-uploaded from: its stored original, when the API can give it. */
export async function retrySource(doc: Doc): Promise<Blob | null> {
  try {
    const blob = await fetchOriginal(doc.id);
    return blob === NOT_AVAILABLE ? null : blob;
  } catch (err) {
    if (err instanceof ApiProblem) return null;
    throw err;
  }
}
