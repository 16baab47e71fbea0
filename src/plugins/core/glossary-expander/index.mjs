// Glossary query expansion: each configured term found in the query (whole word for Latin script,
// substring for CJK, case-insensitive) appends its synonyms once. Synonyms already present are not repeated.

const CJK = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/u;
const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function mentions(query, term) {
  if (CJK.test(term)) return query.includes(term);
  return new RegExp(`(^|[^\\p{L}\\p{N}])${escapeRegExp(term)}($|[^\\p{L}\\p{N}])`, "iu").test(query);
}

export function expand(input, host) {
  const terms = host.config.terms ?? {};
  const added = [];
  const lower = input.query.toLowerCase();
  for (const [term, synonyms] of Object.entries(terms)) {
    if (!mentions(input.query, term)) continue;
    for (const s of synonyms) {
      if (!lower.includes(s.toLowerCase()) && !added.includes(s)) added.push(s);
    }
  }
  return { query: added.length ? `${input.query} ${added.join(" ")}` : input.query };
}
