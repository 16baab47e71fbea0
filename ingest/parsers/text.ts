import type { ParsedDocument } from "../types.js";
import { decodeBytes } from "./decode.js";
import { emptyDocument } from "./errors.js";
import { hasText, normalizeText } from "./normalize.js";

/** Plain text in any common encoding; indentation is kept because plain text often lays things out with it. */
export function parseText(bytes: Uint8Array, charset?: string | null): ParsedDocument {
  const text = normalizeText(decodeBytes(bytes, charset).text, { preserveIndent: true });
  if (!hasText(text)) throw emptyDocument("text file");
  return { format: "text", title: null, text, pages: [], headings: [] };
}
