/**
 * Whether an answer answers: the same signal for every model. The offline extractive model decides
 * itself (it abstains with the "not found" sentence); a language model's answer counts as "not found"
 * when it opens with that sentence (the prompts allow and word it) or when retrieval found too little
 * evidence for the question, measured as the extractive answerer measures it: how much of the
 * question the best passage of the sources covers, with the threshold calibrated on development data.
 */
import { isNotFoundAnswer } from "../../i18n/answers.js";
import { DEFAULT_ANSWER_PARAMS, extractiveDecision } from "../../models/extractive/answer.js";
import type { CallStatus } from "./events.js";

export function retrievalAnswerable(
  question: string,
  sources: { n: number; title: string; text: string }[],
): boolean {
  return extractiveDecision(question, sources, DEFAULT_ANSWER_PARAMS).answerable;
}

export function answerableAnswer(
  outcome: { status: CallStatus; text: string },
  provider: string,
  retrieval: () => boolean,
): boolean {
  if (outcome.status !== "ok" || outcome.text.trim() === "") return false;
  if (isNotFoundAnswer(outcome.text)) return false;
  // The extractive model applies the evidence threshold itself; its text already says which way it went.
  return provider === "offline" ? true : retrieval();
}
