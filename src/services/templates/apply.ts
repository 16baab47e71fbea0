import type { ServiceCtx } from "../../context.js";
import { sampleText, type TemplateBundle } from "../../templates/index.js";
import { recordAudit } from "../audit/record.js";
import { uploadDocument } from "../documents/upload.js";
import { createEmbed, validateEmbedSettings } from "../embeds/create.js";
import { createKnowledgeBase } from "../knowledge-bases/create.js";
import { getTemplate } from "./catalog.js";
import { type GoldenResult, runTemplateGolden } from "./golden.js";
import { waitForDocuments } from "./wait.js";

export const APPLY_WAIT = { defaultMs: 60_000, maxMs: 300_000 };

export interface ApplyTemplateInput {
  id: string;
  /** Name of the new knowledge base (and embed); the template's when absent. */
  name?: string;
  /** Sites allowed to run the widget; the bundles ship none. */
  allowedOrigins?: string[];
  /** How long to wait for the sample documents before running the golden set anyway. */
  waitMs?: number;
}

export interface AppliedTemplate {
  template: { id: string; version: string };
  knowledge_base_id: string;
  embed_id: string;
  embed_signing_secret: string;
  documents: { id: string; filename: string; status: string }[];
  /** False when some document was not ready within the wait: the golden set ran on what was. */
  ready: boolean;
  golden: GoldenResult;
}

/**
 * Applies a solution template in one step, through the same verbs the separate routes use: the
 * knowledge base with the template's settings, each sample document uploaded, a bounded wait for the
 * pipeline, the support-bot embed, then the golden set through search and ask. What it created stays
 * when a later step fails (the error names it), so nothing is half-deleted behind the caller's back.
 */
export async function applyTemplate({
  ctx,
  input,
}: {
  ctx: ServiceCtx;
  input: ApplyTemplateInput;
}): Promise<AppliedTemplate> {
  const bundle = getTemplate({ input: { id: input.id } });
  // Refuse a bad origin before anything exists, rather than after the knowledge base is made.
  await validateEmbedSettings(ctx, { allowedOrigins: input.allowedOrigins ?? [] });
  const kbSettings = bundle.knowledge_base;
  const name = input.name ?? kbSettings.name;
  const kb = await createKnowledgeBase({
    ctx,
    input: {
      name,
      description: kbSettings.description,
      language: kbSettings.language,
      chunkSize: kbSettings.chunk_size,
      chunkOverlap: kbSettings.chunk_overlap,
      promptTemplate: kbSettings.prompt_template,
    },
  });
  const uploaded: { id: string; filename: string }[] = [];
  for (const doc of bundle.sample_documents) {
    const r = await uploadDocument({
      ctx,
      input: {
        kbId: kb.id,
        bytes: new TextEncoder().encode(sampleText(doc)),
        filename: doc.filename,
        contentType: "text/markdown",
        metadata: { template: bundle.id, licence: doc.licence },
      },
    });
    uploaded.push({ id: r.documentId, filename: doc.filename });
  }
  const waitMs = Math.min(input.waitMs ?? APPLY_WAIT.defaultMs, APPLY_WAIT.maxMs);
  const statuses = await waitForDocuments(
    ctx,
    uploaded.map((d) => d.id),
    waitMs,
  );
  const embed = await createEmbed({
    ctx,
    input: embedSettings(bundle, name, kb.id, input.allowedOrigins ?? []),
  });
  const golden = await runTemplateGolden(
    ctx,
    bundle,
    kb.id,
    new Map(uploaded.map((d) => [d.filename, d.id])),
  );
  const documents = uploaded.map((d) => ({ ...d, status: statuses.get(d.id) ?? "queued" }));
  await recordAudit(ctx.deps.database.db, {
    tenantId: ctx.auth.tenantId,
    actorKeyId: ctx.auth.keyId,
    actorUserId: ctx.auth.userId ?? null,
    action: "template.apply",
    resourceType: "knowledge_base",
    resourceId: kb.id,
    kbIds: [kb.id],
    detail: {
      template: bundle.id,
      version: bundle.version,
      embed_id: embed.id,
      recall: golden.recall,
      stated_recall: golden.stated_recall,
    },
    requestId: ctx.requestId,
  });
  return {
    template: { id: bundle.id, version: bundle.version },
    knowledge_base_id: kb.id,
    embed_id: embed.id,
    embed_signing_secret: embed.signingSecret,
    documents,
    ready: documents.every((d) => d.status === "ready"),
    golden,
  };
}

function embedSettings(bundle: TemplateBundle, name: string, kbId: string, allowedOrigins: string[]) {
  const e = bundle.embed;
  return {
    name,
    kbIds: [kbId],
    models: [],
    promptTemplate: bundle.knowledge_base.prompt_template,
    allowedOrigins,
    greeting: e.greeting,
    starterQuestions: bundle.starter_questions,
    theme: { ...e.theme },
    defaultLanguage: e.default_language,
    maxMessagesPerConversation: null,
    maxConversationsPerVisitorPerDay: null,
    maxMessagesPerDay: null,
    monthlyBudgetMicros: null,
    signedVisitorsOnly: false,
  };
}
