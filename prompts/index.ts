/**
 * Answer prompt templates, filled by pure functions.
 * A template file has a "--- system ---" section and a "--- user ---" section; placeholders are
 * {{question}} and {{sources}}. Chinese variants are named "<template>.zh".
 */
import { answerStrings } from "../src/i18n/answers.js";
import { formatQuestion, formatSources, type PromptSource } from "./sources.js";
import { TEMPLATE_FILES } from "./templates.generated.js";

export type { PromptSource } from "./sources.js";
export { escapeSourceText, parseRenderedPrompt } from "./sources.js";

/**
 * A rendered message: role and text for any chat model, and on the user message the question and
 * sources it shows as data (`grounding`), so a model that works on them (the offline extractive one)
 * need not parse the text back. Shaped like the models' ChatMessage without importing it.
 */
export interface PromptMessage {
  role: "system" | "user";
  content: string;
  grounding?: { question: string; sources: PromptSource[] };
}

export type PromptLanguage = "en" | "zh";

interface Template {
  system: string;
  user: string;
}

const SECTION = /^--- (system|user) ---$/m;

export function parseTemplate(name: string, text: string): Template {
  const parts = text.split(SECTION);
  // split with a capture group yields: [before, "system", body, "user", body]
  const sections = new Map<string, string>();
  for (let i = 1; i + 1 < parts.length; i += 2) sections.set(parts[i]!, parts[i + 1]!.trim());
  const system = sections.get("system");
  const user = sections.get("user");
  if (!system || !user)
    throw new Error(`prompt template "${name}" needs "--- system ---" and "--- user ---" sections`);
  return { system, user };
}

const templates = new Map(
  Object.entries(TEMPLATE_FILES).map(([name, text]) => [name, parseTemplate(name, text)]),
);

/** Base template names (without language suffix), e.g. ["qa", "strict", "support-bot"]. */
export function listTemplates(): string[] {
  return [...templates.keys()].filter((n) => !n.includes(".")).sort();
}

/** "zh" when a fair share of the letters are CJK ideographs, else "en". */
export function detectLanguage(text: string): PromptLanguage {
  const han = text.match(/\p{Script=Han}/gu)?.length ?? 0;
  const latin = text.match(/[A-Za-z]+/g)?.length ?? 0; // words, since one Han char is roughly one word
  return han > 0 && han >= latin ? "zh" : "en";
}

const EMPTY_SOURCES: Record<PromptLanguage, string> = {
  en: "(no sources were found)",
  zh: "（未检索到资料）",
};

function fill(text: string, values: Record<string, string>, name: string): string {
  // Single pass, so a question that itself contains "{{sources}}" is left as typed.
  return text.replace(/\{\{(\w+)\}\}/g, (_m, key: string) => {
    const v = values[key];
    if (v === undefined) throw new Error(`prompt template "${name}" uses unknown placeholder {{${key}}}`);
    return v;
  });
}

export function renderPrompt(input: {
  template: string;
  question: string;
  sources: PromptSource[];
  language?: PromptLanguage;
}): PromptMessage[] {
  if (!listTemplates().includes(input.template)) {
    throw new Error(
      `unknown prompt template "${input.template}"; valid templates: ${listTemplates().join(", ")}`,
    );
  }
  const language = input.language ?? detectLanguage(input.question);
  const name = language === "en" ? input.template : `${input.template}.${language}`;
  const t = templates.get(name) ?? templates.get(input.template)!;
  const values = {
    question: formatQuestion(input.question),
    sources: formatSources(input.sources, EMPTY_SOURCES[language]),
    // The sentence every model opens an abstention with; the service recognises it (answerable: false).
    not_found: answerStrings(language === "zh" ? "zh-CN" : "en").not_found,
  };
  return [
    { role: "system", content: fill(t.system, values, name) },
    {
      role: "user",
      content: fill(t.user, values, name),
      grounding: { question: input.question, sources: input.sources },
    },
  ];
}
