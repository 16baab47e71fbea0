import { index, integer, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { created } from "./columns.js";
import { knowledgeBases } from "./tenancy-schema.js";

/** Golden questions of a knowledge base and the runs that score retrieval against them. */
export const evalQuestions = pgTable(
  "eval_questions",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    kbId: text("kb_id")
      .notNull()
      .references(() => knowledgeBases.id, { onDelete: "cascade" }),
    question: text("question").notNull(),
    expected: jsonb("expected").$type<{ documentId: string; pages?: number[] }[]>().notNull(),
    createdAt: created(),
  },
  (t) => [index("eval_q_kb_idx").on(t.kbId)],
);

export const evalRuns = pgTable(
  "eval_runs",
  {
    id: text("id").primaryKey(),
    tenantId: text("tenant_id").notNull(),
    kbId: text("kb_id")
      .notNull()
      .references(() => knowledgeBases.id, { onDelete: "cascade" }),
    mode: text("mode").notNull(),
    settings: jsonb("settings").$type<Record<string, unknown>>().notNull(),
    metrics: jsonb("metrics").$type<Record<string, number>>().notNull(),
    misses: jsonb("misses").$type<unknown[]>().notNull(),
    questions: integer("questions").notNull(),
    createdAt: created(),
  },
  (t) => [index("eval_runs_kb_idx").on(t.kbId, t.id)],
);
