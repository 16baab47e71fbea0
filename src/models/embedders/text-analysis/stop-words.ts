/**
 * English function words dropped before stemming. The sparse side gets idf from the engine, so these
 * matter most for the dense side, which has no idf and would otherwise be dominated by them. The list
 * is deliberately generic (no domain words) so it does not overfit any evaluation set.
 */
const WORDS = `
a about above after again against all am an and any are aren as at be because been before being below
between both but by can cannot could couldn did didn do does doesn doing don down during each few for
from further had hadn has hasn have haven having he her here hers herself him himself his how i if in
into is isn it its itself just ll me more most mustn my myself no nor not of off on once only or other
ought our ours ourselves out over own re s same shan she should shouldn so some such than that the
their theirs them themselves then there these they this those through to too under until up ve very
was wasn we were weren what when where which while who whom why will with won would wouldn you your
yours yourself yourselves also whose whether upon via
`;

export const ENGLISH_STOP_WORDS: ReadonlySet<string> = new Set(WORDS.split(/\s+/).filter(Boolean));
