/**
 * Synthetic knowledge for bench:ask: manual-like chunks. The API process creates the bench tenants with
 * their knowledge base and document rows; the bench process embeds the chunks and upserts them straight
 * through the adapter into the engine, so the API process's memory is not inflated by seeding.
 */
import type { createApp } from "../../src/app.js";
import type { AppDeps } from "../../src/context.js";
import { documents, documentVersions } from "../../src/db/schema.js";
import { newId } from "../../src/ids.js";
import { chunkIndexText } from "../../src/models/embedders/offline/index.js";
import type { Embedder } from "../../src/models/types.js";
import type { ChunkPoint, SparseVector, VectorIndex } from "../../src/vector/types.js";
import { mulberry32 } from "./stats.js";

export const CHUNKS_PER_DOC = 100;
const TOPICS = ["router", "printer", "firmware", "battery", "display", "network", "warranty", "installation"];
const VERBS = ["reset", "configure", "replace", "update", "clean", "calibrate", "connect", "inspect"];
const FILLER =
  "the device should then be checked again before it is used with other equipment in the office".split(" ");

// Deterministic so runs are comparable.
const rand = mulberry32(7);
const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;

export function syntheticTexts(n: number): string[] {
  return Array.from({ length: n }, (_, i) => {
    const words: string[] = [];
    while (words.length < 120) {
      words.push(
        `To ${pick(VERBS)} the ${pick(TOPICS)} model ${i % 500}, press button ${Math.floor(rand() * 9)}.`,
      );
      for (let k = 0; k < 8; k++) words.push(pick(FILLER));
    }
    return words.join(" ");
  });
}

export interface BenchTenant {
  tenantId: string;
  key: string;
  kbId: string;
  docs: { docId: string; versionId: string }[];
}

/** API side: a tenant (through the API), one knowledge base and `docCount` ready document rows. */
export async function createBenchTenant(
  app: ReturnType<typeof createApp>,
  deps: AppDeps,
  platformKey: string,
  name: string,
  docCount: number,
): Promise<BenchTenant> {
  const json = { "content-type": "application/json" };
  const t = await app.request("/v1/tenants", {
    method: "POST",
    headers: { ...json, authorization: `Bearer ${platformKey}` },
    body: JSON.stringify({ name }),
  });
  const created = (await t.json()) as { tenant: { id: string }; key: { key: string } };
  const key = created.key.key;
  const kb = await app.request("/v1/knowledge-bases", {
    method: "POST",
    headers: { ...json, authorization: `Bearer ${key}` },
    body: JSON.stringify({ name: "Manuals", language: "en" }),
  });
  const kbId = ((await kb.json()) as { id: string }).id;
  const tenantId = created.tenant.id;
  const docs = Array.from({ length: docCount }, () => ({ docId: newId("doc"), versionId: newId("ver") }));
  for (const [d, { docId, versionId }] of docs.entries()) {
    await deps.database.db.insert(documents).values({
      id: docId,
      tenantId,
      kbId,
      title: `Manual ${d}`,
      filename: `manual-${d}.pdf`,
      activeVersionId: versionId,
      latestVersionId: versionId,
    });
    await deps.database.db.insert(documentVersions).values({
      id: versionId,
      documentId: docId,
      tenantId,
      kbId,
      sha256: versionId,
      format: "pdf",
      sizeBytes: 1,
      blobKey: versionId,
      status: "ready",
    });
  }
  return { tenantId, key, kbId, docs };
}

export interface Vectors {
  dense: number[][];
  sparse: SparseVector[];
}

export function embedTexts(embedder: Embedder, texts: string[]): Promise<Vectors> {
  return embedder.embedDocuments(
    texts.map((t, i) => chunkIndexText(`Manual ${Math.floor(i / CHUNKS_PER_DOC)}`, t)),
  );
}

/** Bench side: one point per text, CHUNKS_PER_DOC per document, upserted through the adapter. */
export async function indexTenant(
  vectors: VectorIndex,
  tenant: Pick<BenchTenant, "tenantId" | "kbId" | "docs">,
  texts: string[],
  embedded: Vectors,
): Promise<void> {
  const points: ChunkPoint[] = texts.map((text, i) => {
    const d = Math.floor(i / CHUNKS_PER_DOC);
    const c = i % CHUNKS_PER_DOC;
    const doc = tenant.docs[d] ?? {
      docId: `doc_${tenant.tenantId}_${d}`,
      versionId: `ver_${tenant.tenantId}_${d}`,
    };
    return {
      dense: embedded.dense[i]!,
      sparse: embedded.sparse[i]!,
      payload: {
        kb_id: tenant.kbId,
        doc_id: doc.docId,
        doc_version: doc.versionId,
        chunk: c,
        page_start: c + 1,
        page_end: c + 1,
        heading_path: ["Manual", `Section ${c}`],
        text,
        char_start: c * 1000,
        char_end: c * 1000 + text.length,
        title: `Manual ${d}`,
        meta: {},
      },
    };
  });
  for (let i = 0; i < points.length; i += 2048)
    await vectors.upsert(tenant.tenantId, points.slice(i, i + 2048));
}
