import type { EvalDataset } from "./datasets.js";

/**
 * K-fold cross-validation over queries. SQuAD-style sets are split by article (a question's group is
 * its paragraph's article, so near-duplicate questions about one article never sit on both sides);
 * BEIR sets by query. The corpus is never split: every fold searches the whole corpus, only the
 * questions that choose parameters and the ones that score them differ.
 */
export function foldOf(ds: EvalDataset, k: number): number[] {
  const groupOf = (qid: string): string => {
    const doc = [...ds.qrels.get(qid)!.keys()][0]!;
    // squadToDataset names paragraphs "<article>-<paragraph>"; BEIR queries are their own group.
    return /^\d+-\d+$/.test(doc) && ds.qrels.get(qid)!.size === 1 ? doc.split("-")[0]! : qid;
  };
  const groups = [...new Set(ds.queries.map((q) => groupOf(q.id)))];
  // A fixed shuffle (no Math.random) so every run splits the same way.
  const order = groups
    .map((g, i) => ({ g, key: hash(`${g}#${i}`) }))
    .sort((a, b) => a.key - b.key)
    .map((x) => x.g);
  const foldOfGroup = new Map(order.map((g, i) => [g, i % k]));
  return ds.queries.map((q) => foldOfGroup.get(groupOf(q.id))!);
}

function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

export interface CvSet {
  name: string;
  /** Per variant, per query: the primary metric (nDCG@10 or R@1). */
  perQuery: Map<string, number[]>;
  folds: number[];
}

export interface CvOutcome {
  /** Per fold: the variant chosen on the other folds, and the held-out score per set. */
  chosen: string[];
  heldOut: Record<string, number>;
  /** Every variant's held-out average (the score it would get if always chosen). */
  perVariant: Record<string, Record<string, number>>;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : 0);

function foldMean(set: CvSet, variant: string, keep: (fold: number) => boolean): number {
  const scores = set.perQuery.get(variant)!;
  return mean(scores.filter((_, i) => keep(set.folds[i]!)));
}

/**
 * One configuration serves every language, so a variant is chosen on the training folds of all sets
 * at once (the sum of each set's primary metric) and scored on the held-out fold of each set.
 */
export function crossValidate(sets: CvSet[], variants: string[], k: number): CvOutcome {
  const chosen: string[] = [];
  const held: Record<string, number[]> = Object.fromEntries(sets.map((s) => [s.name, []]));
  for (let f = 0; f < k; f++) {
    let best = variants[0]!;
    let bestScore = -Infinity;
    for (const v of variants) {
      const train = sets.reduce((s, set) => s + foldMean(set, v, (x) => x !== f), 0);
      if (train > bestScore + 1e-12) {
        bestScore = train;
        best = v;
      }
    }
    chosen.push(best);
    for (const set of sets) held[set.name]!.push(foldMean(set, best, (x) => x === f));
  }
  const perVariant: CvOutcome["perVariant"] = {};
  for (const v of variants)
    perVariant[v] = Object.fromEntries(
      sets.map((set) => [
        set.name,
        mean(Array.from({ length: k }, (_, f) => foldMean(set, v, (x) => x === f))),
      ]),
    );
  return { chosen, heldOut: Object.fromEntries(sets.map((s) => [s.name, mean(held[s.name]!)])), perVariant };
}
