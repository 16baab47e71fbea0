import { expectStatus, type ProductApi } from "./product.js";
import type { EvalDoc } from "./tune/datasets.js";

export interface EvalKb {
  tenantId: string;
  adminKey: string;
  kbId: string;
}

/** A fresh tenant and knowledge base, created through the API like any user would. */
export async function createEvalKb(api: ProductApi, kb: Record<string, unknown> = {}): Promise<EvalKb> {
  const tenant = expectStatus(
    await api.call("POST", "/v1/tenants", { key: api.platformKey, body: { name: "Eval" } }),
    201,
    "create tenant",
  );
  const adminKey = tenant.key.key as string;
  const created = expectStatus(
    await api.call("POST", "/v1/knowledge-bases", { key: adminKey, body: { name: "eval", ...kb } }),
    201,
    "create knowledge base",
  );
  return { tenantId: tenant.tenant.id, adminKey, kbId: created.id };
}

const escapeHtml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * A corpus entry as the web page a user would upload: <title> becomes the document title, which the
 * pipeline prepends once to every chunk's indexed text (chunkIndexText), and the body is the text.
 * (Markdown "# title" would index the title twice: once as the title and once as the heading line.)
 */
export function docAsHtml(doc: EvalDoc): Uint8Array {
  const title = doc.title.trim() ? `<title>${escapeHtml(doc.title.trim())}</title>` : "";
  const paragraphs = doc.text
    .split(/\n\s*\n/)
    .filter((p) => p.trim())
    .map((p) => `<p>${escapeHtml(p.trim())}</p>`)
    .join("\n");
  const html = `<!doctype html><html><head><meta charset="utf-8">${title}</head><body>\n${paragraphs}\n</body></html>`;
  return new TextEncoder().encode(html);
}

/** Uploads every corpus entry through the upload route, `concurrency` requests at a time. */
export async function uploadCorpus(
  api: ProductApi,
  kb: EvalKb,
  docs: EvalDoc[],
  concurrency = 8,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < docs.length) {
      const doc = docs[next++]!;
      const form = new FormData();
      form.set(
        "file",
        new File([docAsHtml(doc) as Uint8Array<ArrayBuffer>], `${doc.id}.html`, { type: "text/html" }),
      );
      form.set("external_id", doc.id);
      const res = await api.call("POST", `/v1/knowledge-bases/${kb.kbId}/documents`, {
        key: kb.adminKey,
        form,
      });
      if (res.status !== 202 && res.status !== 200)
        expectStatus(res, 202, `upload of corpus entry ${doc.id}`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
}

async function countWithStatus(api: ProductApi, kb: EvalKb, status: string): Promise<number> {
  let count = 0;
  let cursor: string | null = null;
  do {
    const q: string = `status=${status}&limit=200${cursor ? `&cursor=${cursor}` : ""}`;
    const page = expectStatus(
      await api.call("GET", `/v1/knowledge-bases/${kb.kbId}/documents?${q}`, { key: kb.adminKey }),
      200,
      "list documents",
    );
    count += page.data.length;
    cursor = page.next_cursor;
  } while (cursor);
  return count;
}

/** Polls the documents listing until nothing is queued or processing; fails on failed documents. */
export async function waitUntilIngested(
  api: ProductApi,
  kb: EvalKb,
  opts: { timeoutMs: number; onProgress?: (pending: number) => void },
): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    const pending =
      (await countWithStatus(api, kb, "queued")) + (await countWithStatus(api, kb, "processing"));
    opts.onProgress?.(pending);
    if (pending === 0) break;
    if (Date.now() > deadline)
      throw new Error(`eval: ${pending} documents still not ingested after ${opts.timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const failed = await countWithStatus(api, kb, "failed");
  if (failed > 0)
    throw new Error(`eval: ${failed} corpus documents failed to ingest; see GET /v1/documents/{id}`);
}

/** Maps the product's document ids back to corpus ids (each upload's external_id); counts chunks and stage times. */
export async function listCorpusDocuments(
  api: ProductApi,
  kb: EvalKb,
): Promise<{ corpusIdOf: Map<string, string>; chunks: number; stageMs: Record<string, number> }> {
  const corpusIdOf = new Map<string, string>();
  let chunks = 0;
  const stageMs: Record<string, number> = {};
  let cursor: string | null = null;
  do {
    const q: string = `limit=200${cursor ? `&cursor=${cursor}` : ""}`;
    const page = expectStatus(
      await api.call("GET", `/v1/knowledge-bases/${kb.kbId}/documents?${q}`, { key: kb.adminKey }),
      200,
      "list documents",
    );
    for (const d of page.data) {
      corpusIdOf.set(d.id, d.external_id);
      chunks += d.chunks ?? 0;
      for (const [k, v] of Object.entries(d.timings ?? {})) stageMs[k] = (stageMs[k] ?? 0) + Number(v);
    }
    cursor = page.next_cursor;
  } while (cursor);
  // Mean pipeline time per document and stage (parse, chunk, embed, index, total), from each version.
  for (const k of Object.keys(stageMs))
    stageMs[k] = Math.round((stageMs[k]! / Math.max(1, corpusIdOf.size)) * 10) / 10;
  return { corpusIdOf, chunks, stageMs };
}
