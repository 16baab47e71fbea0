/**
 * 32-bit FNV-1a over UTF-16 code units. Stable across processes and platforms, which is what matters:
 * the hash is the term's identity in every stored sparse vector, so changing it changes the embedder id.
 */
export function fnv1a32(text: string, seed = 0x811c9dc5): number {
  return fnv1a32Range(text, 0, text.length, seed);
}

/** fnv1a32(text.slice(start, end), seed) without making the slice. */
export function fnv1a32Range(text: string, start: number, end: number, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = start; i < end; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
