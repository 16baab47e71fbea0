import { eq } from "drizzle-orm";
import type { AppDeps } from "../../context.js";
import { knowledgeBases } from "../../db/schema.js";
import { vectorsOfKb } from "../../vector/collections.js";
import type { VectorIndex } from "../../vector/types.js";

type KbEmbedder = Pick<typeof knowledgeBases.$inferSelect, "embedder" | "embedderDimension">;

/**
 * The index holding a knowledge base's points: the deployment's, or its embedder plugin's collection
 * (issue 19); null when there is none (no vector store, or a plugin knowledge base with no vectors yet).
 */
export function kbVectors(deps: AppDeps, kb: KbEmbedder): Promise<VectorIndex | null> {
  return vectorsOfKb({ vectors: deps.vectors, collections: deps.vectorCollections }, kb);
}

/** kbVectors by the knowledge base's id (callers that hold a document, not its knowledge base). */
export async function kbVectorsById(deps: AppDeps, kbId: string): Promise<VectorIndex | null> {
  const [kb] = await deps.database.db
    .select({ embedder: knowledgeBases.embedder, embedderDimension: knowledgeBases.embedderDimension })
    .from(knowledgeBases)
    .where(eq(knowledgeBases.id, kbId));
  return kbVectors(deps, kb ?? { embedder: null, embedderDimension: null });
}
