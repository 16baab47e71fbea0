/**
 * The learned ranker and abstention model of the extractive answerer (src/models/extractive/ranker.ts,
 * weights fitted by test/eval/answers/train.ts): that the shipped weights are used and shaped as the
 * features are, and what they change on real text. Passages from XQuAD (CC BY-SA 4.0, see
 * /work/shared/data/xquad/SOURCE.txt) and the TraceMonkey paper's wording (fixtures/).
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_ANSWER_PARAMS, extractiveDecision } from "../../src/models/extractive/answer.js";
import { QUESTION_FEATURES } from "../../src/models/extractive/ranker.js";
import { RANKER_MODEL } from "../../src/models/extractive/ranker-weights.js";
import { SENTENCE_FEATURES, scoreSentences } from "../../src/models/extractive/score.js";
import { splitUnits } from "../../src/models/extractive/sentences.js";

const apollo = {
  n: 1,
  title: "Apollo program",
  text:
    "The plugs-out test began on January 27, 1967, with the crew strapped into their seats. " +
    "During this hold, an electrical fire began in the cabin, and spread quickly in the high pressure, " +
    "100% oxygen atmosphere. Pressure rose high enough from the fire that the cabin burst.",
};

describe("extractive ranker", () => {
  it("ships one weight per feature for English and Chinese, and a threshold between 0 and 1", () => {
    expect(RANKER_MODEL).not.toBeNull();
    for (const lang of ["en", "zh"] as const) {
      const m = RANKER_MODEL![lang];
      expect(m.sentence).toHaveLength(SENTENCE_FEATURES.length);
      expect(m.abstain.weights).toHaveLength(QUESTION_FEATURES.length);
      expect(m.abstain.threshold).toBeGreaterThan(0);
      expect(m.abstain.threshold).toBeLessThan(1);
      // A cue the English data never exercises keeps a positive weight (a defining sentence still wins).
      expect(m.sentence[SENTENCE_FEATURES.indexOf("cueDefine")]).toBeGreaterThan(0);
    }
    const { sentences } = scoreSentences("When did the plugs-out test begin?", [apollo]);
    for (const s of sentences) expect(s.features).toHaveLength(SENTENCE_FEATURES.length);
  });

  it("answers with the dated sentence and reports its abstention probability", () => {
    const r = extractiveDecision("When did the plugs-out test begin?", [apollo]);
    expect(r.answerable).toBe(true);
    expect(r.chosen[0]!.text).toContain("January 27, 1967");
    expect(r.unanswerable).toBeGreaterThanOrEqual(0);
    expect(r.unanswerable).toBeLessThan(RANKER_MODEL!.en.abstain.threshold);
  });

  it("abstains on a question about something the sources do not mention", () => {
    const q = "How many goals did Lionel Messi score for Barcelona?";
    const r = extractiveDecision(q, [apollo]);
    expect(r.answerable).toBe(false);
    expect(r.chosen).toEqual([]);
    // The learned abstention model decides by default and says how sure it is; the evidence threshold
    // it replaced agrees.
    expect(r.unanswerable).toBeGreaterThanOrEqual(RANKER_MODEL!.en.abstain.threshold);
    const byEvidence = extractiveDecision(q, [apollo], {
      ...DEFAULT_ANSWER_PARAMS,
      learnedAbstention: false,
    });
    expect(byEvidence.answerable).toBe(false);
  });

  it("keeps the hand-weighted score when no model is given", () => {
    const r = extractiveDecision("When did the plugs-out test begin?", [apollo], {
      ...DEFAULT_ANSWER_PARAMS,
      model: null,
    });
    expect(r.answerable).toBe(true);
    expect(r.unanswerable).toBeNull();
    expect(r.chosen[0]!.text).toContain("January 27, 1967");
  });

  it("never quotes a numbered section heading that reads like a list item", () => {
    const units = splitUnits(
      "we reach it.\n5. Trace Tree Optimization\nThis section explains how a trace is compiled.",
    );
    const heading = units.find((u) => u.text.includes("Trace Tree Optimization"));
    expect(heading?.complete ?? false).toBe(false);
    expect(units.some((u) => u.complete && u.text.startsWith("This section explains"))).toBe(true);
  });

  it("counts the Markdown heading a sentence sits under as evidence, not as a quote", () => {
    // Product documents name the topic in a heading and answer below it without repeating it; the
    // heading's words were evidence nowhere, so these questions were abstained on.
    const guide = {
      n: 1,
      title: "Sales playbook: objections",
      text:
        "# Sales playbook: objections\n\n## Security reviews\n\nSend the security pack before the call. " +
        'Offer a call with our security lead.\n\n## "It\'s too expensive"\n\nMove the conversation from ' +
        "price to cost. Ask how much time the team loses searching for files today.",
    };
    const q = "How do we answer 'it's too expensive'?";
    // What is measured here is the evidence, so the evidence threshold decides (the learned model, which
    // decides by default, was fitted on whole template documents, not on a four-sentence excerpt).
    const byEvidence = { ...DEFAULT_ANSWER_PARAMS, learnedAbstention: false };
    const r = extractiveDecision(q, [guide], byEvidence);
    expect(r.answerable).toBe(true);
    expect(r.chosen[0]!.text).toBe("Move the conversation from price to cost.");
    expect(r.chosen.some((c) => c.text.includes("#") || c.text.includes("too expensive"))).toBe(false);
    // The same sentences with the heading removed cover too little of the question.
    const bare = { ...guide, text: guide.text.replace(/## "It's too expensive"\n\n/, "") };
    expect(extractiveDecision(q, [bare], byEvidence).evidence).toBeLessThan(r.evidence);
  });
});
