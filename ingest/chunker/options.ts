import { z } from "zod";
import type { ChunkingOptions } from "../types.js";

/**
 * 400 tokens is about 300 English words: large enough to hold a paragraph with its context, small
 * enough that one retrieved chunk is about one idea (retrieval precision falls off past ~512) and
 * that 8-10 chunks fit comfortably in an answer prompt. 60 tokens (15%) of overlap carries the last
 * sentence or two across a cut, so a fact split at a boundary is still found whole in one chunk.
 */
export const DEFAULT_CHUNKING: ChunkingOptions = { chunkSize: 400, chunkOverlap: 60 };

export const CHUNK_SIZE_MIN = 64;
export const CHUNK_SIZE_MAX = 2048;

/** Knowledge-base chunking settings as users may set them. */
export const chunkingSchema = z
  .object({
    chunkSize: z.number().int().min(CHUNK_SIZE_MIN).max(CHUNK_SIZE_MAX),
    chunkOverlap: z.number().int().min(0),
  })
  .refine((o) => o.chunkOverlap < o.chunkSize / 2, {
    path: ["chunkOverlap"],
    message: "chunkOverlap must be less than half of chunkSize",
  });
