import { and, desc, eq } from "drizzle-orm";
import type { ServiceCtx } from "../../context.js";
import { chunks, documents, documentVersions } from "../../db/schema.js";
import { sampleText, type TemplateBundle } from "../../templates/index.js";
import { ConflictError } from "../errors.js";
import { loadVisibleKb } from "../knowledge-bases/get.js";
import { listTemplates } from "./catalog.js";
import { inverseFrequencies, similarity, type TermVector, termCounts } from "./terms.js";

/** Enough of a knowledge base to tell its subject; reading every chunk of a large one would not help. */
const MAX_CHUNKS = 400;
const MAX_DOCUMENTS = 200;

export interface TemplateRecommendation {
  id: string;
  score: number;
  /** The shared terms that weighed most, to show why. */
  matched_terms: string[];
}

let profiles: { bundle: TemplateBundle; terms: TermVector }[] | null = null;

/** A template's profile: its keywords and names (weighted up), then its sample documents' text. */
function templateProfiles() {
  profiles ??= listTemplates().map((bundle) => {
    const terms = termCounts([...bundle.keywords, ...Object.values(bundle.name)].join(" "), 3);
    for (const d of bundle.sample_documents) termCounts(`${d.title}\n${sampleText(d)}`, 1, terms);
    return { bundle, terms };
  });
  return profiles;
}

/**
 * Recommends templates for what a knowledge base already holds: the lexical similarity (tf-idf cosine)
 * between its documents' titles and text and each template's profile, best first.
 */
export async function recommendTemplates({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: { kbId: string; limit: number };
}): Promise<TemplateRecommendation[]> {
  const { db } = ctx.deps.database;
  const kb = await loadVisibleKb(db, ctx, input.kbId);
  const scope = and(eq(documents.tenantId, ctx.auth.tenantId), eq(documents.kbId, kb.id));
  const titles = await db
    .select({ title: documents.title })
    .from(documents)
    .where(scope)
    .orderBy(desc(documents.id))
    .limit(MAX_DOCUMENTS);
  const texts = await db
    .select({ text: chunks.text })
    .from(chunks)
    .innerJoin(documentVersions, eq(documentVersions.id, chunks.versionId))
    .innerJoin(documents, eq(documents.activeVersionId, documentVersions.id))
    .where(scope)
    .limit(MAX_CHUNKS);
  if (texts.length === 0) {
    throw new ConflictError(
      `Knowledge base ${kb.id} has no processed documents yet. Upload some and wait until they are ready, then ask again.`,
    );
  }
  const mine = termCounts(titles.map((t) => t.title).join("\n"), 2);
  for (const t of texts) termCounts(t.text, 1, mine);
  const all = templateProfiles();
  const idf = inverseFrequencies(all.map((p) => p.terms));
  return all
    .map(({ bundle, terms }) => {
      const s = similarity(mine, terms, idf);
      return { id: bundle.id, score: Math.round(s.score * 1000) / 1000, matched_terms: s.terms };
    })
    .sort((a, b) => b.score - a.score)
    .slice(0, input.limit);
}
