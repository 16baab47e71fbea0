/** Synthetic knowledge for bench:ask: manual-like chunks, indexed through the adapter with their rows. */
import type { createApp } from "../../src/app.js";
import type { AppDeps } from "../../src/context.js";
import { documents, documentVersions } from "../../src/db/schema.js";
import { newId } from "../../src/ids.js";
import { chunkIndexText } from "../../src/models/embedders/offline/index.js";
import type { ChunkPoint, SparseVector } from "../../src/vector/types.js";

const CHUNKS_PER_DOC = 100;
const TOPICS = ["router", "printer", "firmware", "battery", "display", "network", "warranty", "installation"];
const VERBS = ["reset", "configure", "replace", "update", "clean", "calibrate", "connect", "inspect"];
const FILLER = "the device should then be checked again before it is used with other equipment in the office".split(" ");

// Deterministic PRNG (mulberry32) so runs are comparable.
let seed = 7;
function rand(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;

export function syntheticTexts(n: number): string[] {
  return Array.from({ length: n }, (_, i) => {
    const words: string[] = [];
    while (words.length < 120) {
      words.push(`To ${pick(VERBS)} the ${pick(TOPICS)} model ${i % 500}, press button ${Math.floor(rand() * 9)}.`);
      for (let k = 0; k < 8; k++) words.push(pick(FILLER));
    }
    return words.join(" ");
  });
}

interface Vectors {
  dense: number[][];
  sparse: SparseVector[];
}

/**
 * Creates a tenant (through the API when a platform key is given, else a bare id for points only), one
 * knowledge base with document/version rows, and its points. Vectors are computed once and reused.
 */
export async function seedTenant(
  app: ReturnType<typeof createApp>,
  deps: AppDeps,
  platformKey: string | null,
  name: string,
  texts: string[],
  reuse: Vectors | null,
) {
  let tenantId = `ten_${name}`;
  let key = "";
  let kbId = `kb_${name}`;
  if (platformKey) {
    const auth = { "content-type": "application/json" };
    const t = await app.request("/v1/tenants", {
      method: "POST",
      headers: { ...auth, authorization: `Bearer ${platformKey}` },
      body: JSON.stringify({ name }),
    });
    const created = (await t.json()) as { tenant: { id: string }; key: { key: string } };
    tenantId = created.tenant.id;
    key = created.key.key;
    const kb = await app.request("/v1/knowledge-bases", {
      method: "POST",
      headers: { ...auth, authorization: `Bearer ${key}` },
      body: JSON.stringify({ name: "Manuals", language: "en" }),
    });
    kbId = ((await kb.json()) as { id: string }).id;
  }
  const vectors = reuse ?? (await deps.embedder!.embedDocuments(texts.map((t, i) => chunkIndexText(`Manual ${Math.floor(i / CHUNKS_PER_DOC)}`, t))));
  const points: ChunkPoint[] = [];
  for (let d = 0; d * CHUNKS_PER_DOC < texts.length; d++) {
    const docId = newId("doc");
    const versionId = newId("ver");
    if (platformKey) {
      await deps.database.db.insert(documents).values({ id: docId, tenantId, kbId, title: `Manual ${d}`, filename: `manual-${d}.pdf`, activeVersionId: versionId, latestVersionId: versionId });
      await deps.database.db.insert(documentVersions).values({ id: versionId, documentId: docId, tenantId, kbId, sha256: versionId, format: "pdf", sizeBytes: 1, blobKey: versionId, status: "ready" });
    }
    for (let c = 0; c < CHUNKS_PER_DOC && d * CHUNKS_PER_DOC + c < texts.length; c++) {
      const i = d * CHUNKS_PER_DOC + c;
      const text = texts[i]!;
      points.push({
        dense: vectors.dense[i]!,
        sparse: vectors.sparse[i]!,
        payload: { kb_id: kbId, doc_id: docId, doc_version: versionId, chunk: c, page_start: c + 1, page_end: c + 1, heading_path: ["Manual", `Section ${c}`], text, char_start: c * 1000, char_end: c * 1000 + text.length, title: `Manual ${d}`, meta: {} },
      });
    }
  }
  for (let i = 0; i < points.length; i += 2048) await deps.vectors!.upsert(tenantId, points.slice(i, i + 2048));
  return { tenantId, key, kbId, vectors: { dense: vectors.dense, sparse: vectors.sparse } };
}
