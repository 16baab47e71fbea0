import { notifiedCachePerDatabase } from "../../db/notified-cache.js";
import type { knowledgeBases } from "../../db/schema.js";

/** A search's first read: each knowledge base with the ids of its versions that must not be searched. */
export type KbsWithHidden = { kb: typeof knowledgeBases.$inferSelect; hidden: string[] }[];

/**
 * The process's cache of what a search reads first: the knowledge bases asked for, with their
 * versions that must not be searched (search/visible-kbs.ts). Without it, every ask's first
 * PostgreSQL read waited for a pool connection behind ledger commits waiting on fsync.
 *
 * Migration 0016's triggers notify `aihub_kb_changed` when a knowledge base changes or a document
 * version is added, removed or changes status, in any process. Entries are kept only when nothing in
 * them is hidden, so the moves that matter for consistency (a version becoming ready, an old one
 * superseded) always start from a state that was read, not cached; what a notification still in
 * flight can leave for a few milliseconds is a version just queued (it has no points yet) or a
 * knowledge base just deleted (its points are deleted first).
 */
export const searchKbCache = notifiedCachePerDatabase<KbsWithHidden>({
  channel: "aihub_kb_changed",
  max: 20_000,
  what: "knowledge bases",
});

/** Call once a change to a knowledge base has committed (update, delete). */
export const kbsChanged = searchKbCache.changed;
