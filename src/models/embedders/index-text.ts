/**
 * The text indexed for a chunk: the document title first, so chunks deep inside a document still
 * match queries that name its subject. Both embedders use it; the pipeline asks the embedder
 * (Embedder.indexText) rather than importing it, so an embedder with another policy can bring its own.
 */
export function chunkIndexText(title: string, text: string): string {
  const t = title.trim();
  return t ? `${t}\n\n${text}` : text;
}
