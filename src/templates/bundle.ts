/**
 * The solution-template bundle format (issue 19): one versioned JSON file per template under
 * `bundles/`, checked by this schema when the catalog loads (a broken bundle fails at start and in
 * test/unit/templates-bundles.test.ts, never halfway through an apply).
 */
import { z } from "zod";
import { LOCALES } from "../i18n/locales.js";
import { KB_LIMITS, LANGUAGES, PROMPT_TEMPLATES } from "../services/knowledge-bases/settings.js";

export const TEMPLATE_CATEGORIES = [
  "support",
  "it",
  "hr",
  "product",
  "developer",
  "legal",
  "research",
  "knowledge",
  "commerce",
  "government",
  "finance",
  "education",
  "health",
  "hospitality",
  "real-estate",
  "sales",
] as const;
export type TemplateCategory = (typeof TEMPLATE_CATEGORIES)[number];

/** Per-locale text; English is always there, so any locale has a fallback. */
const Localized = z
  .object({ en: z.string().min(1).max(300) })
  .catchall(z.string().min(1).max(300))
  .refine((o) => Object.keys(o).every((k) => (LOCALES as readonly string[]).includes(k)), {
    message: `keys must be locales (${LOCALES.join(", ")})`,
  });

const SampleDocument = z.strictObject({
  filename: z.string().regex(/^[a-z0-9-]+\.md$/, "a lowercase name ending in .md"),
  title: z.string().min(1).max(200),
  /** SPDX id: the bundled samples are original text released as CC0-1.0. */
  licence: z.enum(["CC0-1.0", "CC-BY-4.0", "public-domain"]),
  source: z.string().min(1).max(300),
  /** Markdown, one line per entry (JSON has no multi-line strings). */
  content: z.array(z.string().max(2000)).min(3),
});

const GoldenQuestion = z.strictObject({
  question: z.string().min(3).max(300),
  /** The sample document (by filename) that holds the answer. */
  expected_document: z.string(),
  /** A phrase a correct answer quotes (compared case- and space-insensitively). */
  expected_answer: z.string().min(1).max(200),
});

export const TemplateBundleSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{2,47}$/),
    version: z.string().regex(/^\d+\.\d+\.\d+$/, "a semantic version"),
    category: z.enum(TEMPLATE_CATEGORIES),
    /** The language of its documents and questions. */
    language: z.enum(["en", "zh"]),
    name: Localized,
    description: Localized,
    /** Words recommendations match on, besides the sample documents' own text. */
    keywords: z.array(z.string().min(2).max(40)).min(3).max(40),
    knowledge_base: z.strictObject({
      name: z.string().min(1).max(KB_LIMITS.nameMax),
      description: z.string().max(KB_LIMITS.descriptionMax),
      language: z.enum(LANGUAGES),
      chunk_size: z.number().int().min(KB_LIMITS.chunkSize.min).max(KB_LIMITS.chunkSize.max),
      chunk_overlap: z.number().int().min(0),
      prompt_template: z.enum(PROMPT_TEMPLATES),
    }),
    embed: z.strictObject({
      name: z.string().min(1).max(200),
      greeting: z.string().max(500),
      theme: z.strictObject({
        primary_color: z.string().regex(/^#[0-9a-fA-F]{6}$/),
        position: z.enum(["right", "left"]),
        color_scheme: z.enum(["light", "dark", "auto"]),
      }),
      default_language: z.enum(LOCALES).nullable(),
      /** Left empty in every bundle: the organization adds its own sites when it applies. */
      allowed_origins: z.array(z.string()).max(0),
    }),
    starter_questions: z.array(z.string().min(3).max(200)).min(1).max(6),
    sample_documents: z.array(SampleDocument).min(1).max(8),
    golden: z.strictObject({
      top_k: z.number().int().min(1).max(10),
      /** The share of questions whose expected document is within top_k that the template promises. */
      stated_recall: z.number().min(0).max(1),
      questions: z.array(GoldenQuestion).min(3).max(20),
    }),
  })
  .superRefine((b, ctx) => {
    const files = new Set(b.sample_documents.map((d) => d.filename));
    b.golden.questions.forEach((q, i) => {
      if (!files.has(q.expected_document)) {
        ctx.addIssue({
          code: "custom",
          path: ["golden", "questions", i, "expected_document"],
          message: `"${q.expected_document}" is not one of the bundle's sample documents`,
        });
      }
    });
    if (b.knowledge_base.chunk_overlap * 2 >= b.knowledge_base.chunk_size) {
      ctx.addIssue({
        code: "custom",
        path: ["knowledge_base", "chunk_overlap"],
        message: "must be less than half of chunk_size",
      });
    }
  });

export type TemplateBundle = z.infer<typeof TemplateBundleSchema>;
export type SampleDocument = z.infer<typeof SampleDocument>;

/** A sample document's bytes as uploaded: its lines joined. */
export function sampleText(doc: SampleDocument): string {
  return `${doc.content.join("\n")}\n`;
}
