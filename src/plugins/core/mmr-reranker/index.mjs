// Lexical maximal marginal relevance (Carbonell & Goldstein, 1998) over term-frequency vectors.
// Words are lowercased letters/digits; Han, kana and hangul characters count as character bigrams so
// Chinese and Japanese text is compared too. Relevance blends the word cosine with the retrieval score.

const CJK = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/u;

function terms(text) {
  const out = new Map();
  const add = (t) => out.set(t, (out.get(t) ?? 0) + 1);
  for (const run of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    if (!CJK.test(run)) {
      if (run.length > 1) add(run);
      continue;
    }
    const chars = [...run];
    if (chars.length === 1) add(chars[0]);
    for (let i = 0; i + 1 < chars.length; i++) add(chars[i] + chars[i + 1]);
  }
  return out;
}

function cosine(a, b) {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [t, x] of a) {
    na += x * x;
    const y = b.get(t);
    if (y) dot += x * y;
  }
  for (const y of b.values()) nb += y * y;
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

export function rerank(input, host) {
  const lambda = typeof host.config.lambda === "number" ? host.config.lambda : 0.7;
  const q = terms(input.query);
  const vecs = input.chunks.map((c) => terms(c.text));
  const maxScore = Math.max(...input.chunks.map((c) => c.score), 1e-9);
  const rel = input.chunks.map((c, i) => 0.5 * cosine(q, vecs[i]) + 0.5 * (c.score / maxScore));
  const left = new Set(input.chunks.map((_, i) => i));
  const chosen = [];
  while (left.size) {
    let best = -1;
    let bestValue = Number.NEGATIVE_INFINITY;
    for (const i of left) {
      const redundancy = chosen.length ? Math.max(...chosen.map((j) => cosine(vecs[i], vecs[j]))) : 0;
      const value = lambda * rel[i] - (1 - lambda) * redundancy;
      if (value > bestValue) {
        bestValue = value;
        best = i;
      }
    }
    chosen.push(best);
    left.delete(best);
  }
  // The host sorts by score: the first chosen gets the highest.
  const scores = new Array(input.chunks.length);
  chosen.forEach((i, rank) => {
    scores[i] = input.chunks.length - rank;
  });
  return { scores };
}
