/**
 * Every knob of the offline embedder. The defaults were chosen with test/eval/tune (SciFact train,
 * CMRC2018 dev, XQuAD en); see that folder's README for the measurements behind them.
 */
export interface OfflineConfig {
  dimension: number;
  /** BM25 term-frequency saturation. */
  k1: number;
  /** BM25 length normalisation strength. */
  b: number;
  /** Assumed average chunk length in sparse terms (the engine cannot tell us the real one). */
  avgdl: number;
  /** BM25 k1, b and avgdl (in bigrams) for chunks that are mostly CJK; the fields above serve the rest. */
  cjk: { k1: number; b: number; avgdl: number };
  /** Lengths below this fraction of avgdl count as this fraction, so tiny chunks are not over-boosted. */
  minLengthRatio: number;
  /** Also index single CJK characters (besides bigrams). */
  cjkUnigrams: boolean;
  /** Query weight of a CJK unigram relative to 1 for every other query term. */
  queryUnigramWeight: number;
  /** Fold Traditional Chinese to Simplified before n-grams, so either script finds the other. */
  foldScript: boolean;
  /**
   * Query weight of the original-script n-grams of a query whose script was folded (0 = none). They
   * match chunks indexed before folding existed, so such collections keep answering Traditional queries.
   */
  queryUnfoldedWeight: number;
  /** Dense feature weights (relative); 0 disables a feature family. */
  dense: {
    word: number;
    wordBigram: number;
    charGram: number;
    /** Character n-gram length inside words (with boundary marks). */
    charGramSize: number;
    cjkBigram: number;
    cjkUnigram: number;
    /** Corpus-free stand-in for idf: word weight grows by this times log(word length). */
    lengthBoost: number;
  };
}

export const DEFAULT_OFFLINE_CONFIG: OfflineConfig = {
  dimension: 384,
  k1: 1.6,
  b: 0.5,
  avgdl: 200,
  cjk: { k1: 1.6, b: 0.5, avgdl: 200 },
  minLengthRatio: 0,
  cjkUnigrams: true,
  queryUnigramWeight: 0.3,
  foldScript: true,
  queryUnfoldedWeight: 1,
  dense: {
    word: 1,
    wordBigram: 0,
    charGram: 1,
    charGramSize: 3,
    cjkBigram: 1,
    cjkUnigram: 1,
    lengthBoost: 0,
  },
};
