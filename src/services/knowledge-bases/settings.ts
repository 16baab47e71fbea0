/** Knowledge-base settings with their limits; the API schema and the verbs share these. */
export const KB_LIMITS = {
  nameMax: 200,
  descriptionMax: 2000,
  chunkSize: { min: 64, max: 2048, default: 400 },
  /** Overlap must stay under half the chunk size so every chunk adds new text. */
  chunkOverlap: { min: 0, default: 60 },
} as const;

export const LANGUAGES = ["auto", "en", "zh"] as const;
export type KbLanguage = (typeof LANGUAGES)[number];

export const PROMPT_TEMPLATES = ["qa", "strict", "support-bot"] as const;
export type PromptTemplateName = (typeof PROMPT_TEMPLATES)[number];

export function overlapProblem(chunkSize: number, chunkOverlap: number): string | null {
  return chunkOverlap * 2 >= chunkSize
    ? `chunk_overlap (${chunkOverlap}) must be less than half of chunk_size (${chunkSize})`
    : null;
}
