/**
 * What kind of answer a question asks for, and whether a sentence has that shape: a number or date for
 * "how many / when / 多少 / 哪一年", a definition for "what is X / 什么是X".
 */
import { termList } from "./sentences.js";

export interface QuestionCues {
  /** The question asks for a quantity, a year or a date. */
  wantsNumber: boolean;
  /** The question asks when: a year, a date, a period. */
  wantsDate: boolean;
  /** For "what is X" questions: the terms of X, which a defining sentence introduces. */
  defines: string[] | null;
  /** X itself, lower-cased, for the sentence patterns. */
  definedPhrase: string | null;
  /** The question asks for a person, place or organisation ("who", "where", "which team", 谁, 哪里). */
  wantsName: boolean;
  /** The question's own words, lower-cased: an answer brings a number or name the question lacks. */
  words: Set<string>;
  /** For questions whose answer has a telltale wording (another name, a courtesy name, a birthplace). */
  shape: RegExp | null;
}

/**
 * Questions whose answers are phrased in a fixed way, and that phrasing. The answer sentence rarely
 * repeats the question's wording: "又叫什么" is answered by "又名…", "王沈的字是什么" by "王沈，字处道",
 * "是哪里人" by "哈尔滨人，", "also called" by "also known as".
 */
const ANSWER_SHAPES: { question: RegExp; sentence: RegExp }[] = [
  {
    question: /又(?:可以)?(?:叫|称|名)|别(?:名|称)|其他(?:名字|名称)|还(?:叫|被称为)|俗称/,
    sentence:
      /又(?:名|称|叫|作)|别(?:名|称)|亦(?:称|名|作)|俗(?:称|名)|简称|或称|也(?:称|叫)|原名|旧称|通称|学名/,
  },
  { question: /的(?:字|号)(?:是|叫)/, sentence: /[，,、（(]\s*(?:字|号)\p{Script=Han}/u },
  {
    question: /(?:是|为)(?:哪里|何地|何处|哪儿)人|籍贯/,
    sentence: /\p{Script=Han}[）)]?人[，,。；（(]|籍贯/u,
  },
  {
    question: /\b(?:also (?:known as|called)|other name|another name|nickname[d]?|stand for)\b/i,
    sentence:
      /\b(?:also (?:known|called|referred)|known as|nicknamed|a\.k\.a\.|stands? for|short for|abbreviated)\b/i,
  },
];

const EN_NUMBER_Q =
  /^(?:how (?:many|much|long|old|far|large|big|tall|high|often)|when\b|in (?:what|which) (?:year|month|century|decade)|what (?:year|month|day|date|time|century|decade|percentage|percent|number|amount|age)|by how)/i;
const EN_DATE_Q =
  /^(?:when\b|in (?:what|which) (?:year|month|century|decade)|what (?:year|month|day|date|time|century|decade))|\b(?:what|which) year\b/i;
const ZH_DATE_Q = /哪一?年|哪一?天|何时|什么时候|哪个月|年份|日期|时间/;
const ZH_NUMBER_Q = /多少|几|哪一?年|哪一?天|何时|什么时候|哪个月|多久|多长|多大|多高|多远|年份|日期|时间/;
const EN_NAME_Q =
  /^(?:who|whom|whose|where)\b|\b(?:which|what) (?:person|team|company|city|country|state|group|organi[sz]ation|university|school|player|author|king|emperor|president)\b|\bwho\b/i;
const ZH_NAME_Q = /谁|哪里|哪儿|哪个(?:国家|城市|公司|人|队)|什么地方|何地|何人/;
const EN_DEFINE_Q = /^(?:what|who)\s+(?:is|are|was|were)\s+(?:an?\s+|the\s+)?([^?]+?)\s*\??$/i;
const ZH_DEFINE_Q = /^(?:什么是|何谓|何為|什麼是)(.+?)[？?]?$|^(.+?)是什么[？?]?$|^(.+?)是什麼[？?]?$/;
// "X的定义是什么" asks for the definition of X itself.
const ZH_DEFINITION_OF = /的(?:定义|意思|含义|概念|意義|定義)$/;
// Phrases that ask for a property of X rather than X itself ("what is the name of ...").
const NOT_A_DEFINITION =
  /\b(?:of|in|on|for|from|by|that|which|who|did|does|do|used|called|named|name|number)\b/i;

export function questionCues(question: string): QuestionCues {
  const q = question.trim();
  const wantsNumber = EN_NUMBER_Q.test(q) || ZH_NUMBER_Q.test(q);
  let phrase: string | null = null;
  const en = EN_DEFINE_Q.exec(q);
  if (en && en[1]!.split(/\s+/).length <= 4 && !NOT_A_DEFINITION.test(en[1]!)) phrase = en[1]!;
  const zh = ZH_DEFINE_Q.exec(q);
  if (zh) phrase = (zh[1] ?? zh[2] ?? zh[3] ?? "").trim().replace(ZH_DEFINITION_OF, "") || null;
  const defines = phrase ? termList(phrase) : null;
  return {
    wantsNumber,
    wantsDate: EN_DATE_Q.test(q) || ZH_DATE_Q.test(q),
    wantsName: EN_NAME_Q.test(q) || ZH_NAME_Q.test(q),
    words: new Set(q.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []),
    defines: defines?.length ? defines : null,
    definedPhrase: phrase?.toLowerCase() ?? null,
    shape: ANSWER_SHAPES.find((a) => a.question.test(q))?.sentence ?? null,
  };
}

const NUMBER =
  /\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|hundred|thousand|million|billion|dozen|half|january|february|march|april|may|june|july|august|september|october|november|december)\b|[〇零一二两三四五六七八九十百千万亿]|年|月|日/i;

/** A number (or date word) the question does not already contain. */
export function hasNewNumber(sentence: string, questionWords: Set<string>): boolean {
  for (const token of sentence.match(/[\p{L}\p{N}]+/gu) ?? []) {
    if (questionWords.has(token.toLowerCase())) continue;
    if (/\d/.test(token)) return true;
    if (NUMBER.test(token) && (/\p{Script=Han}/u.test(token) || token.length > 2)) return true;
  }
  return false;
}

/** A year (3 or 4 digits, or "1990年"), a century or a month name with a day. */
export function hasYear(sentence: string): boolean {
  return /\b1\d{3}\b|\b20\d{2}\b|\d{2,4}\s*年|\bcentury\b|世纪|\b(?:AD|BC|BCE|CE)\b|(?:january|february|march|april|may|june|july|august|september|october|november|december)\s+\d/i.test(
    sentence,
  );
}

/** A capitalised name (not the sentence's first word) the question does not contain; for Chinese, 《》 or a quoted name. */
export function hasNewName(sentence: string, questionWords: Set<string>): boolean {
  const words = sentence.match(/[\p{L}\p{N}'’-]+/gu) ?? [];
  for (let i = 1; i < words.length; i++) {
    const w = words[i]!;
    if (/^\p{Lu}/u.test(w) && !questionWords.has(w.toLowerCase())) return true;
  }
  return /《[^》]+》|“[^”]+”/.test(sentence);
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * True when the sentence defines the phrase: "X is a ...", "X refers to", "called X", "X, a ...",
 * or introduces X with an indefinite article at the end of a clause ("expands to a single-entry,
 * multiple-exit trace tree."), the usual shape of a definition in technical prose. Chinese: "X是", "X指",
 * "称为X", "叫做X".
 */
export function definesPhrase(sentence: string, phrase: string): boolean {
  const s = sentence.toLowerCase();
  const x = escapeRegExp(phrase.replace(/s$/, "")).replace(/\s+/g, "\\s+");
  const xs = `${x}s?`;
  const patterns = [
    new RegExp(`(?:^|[^\\w-])${xs}\\s+(?:is|are|was|were)\\s+(?:an?|the|one|any|simply|essentially)\\b`),
    new RegExp(
      `(?:^|[^\\w-])${xs}\\s+(?:refers? to|is defined as|are defined as|means|denotes|consists? of)\\b`,
    ),
    new RegExp(`\\b(?:called|known as|termed|named|we call)\\s+(?:an?\\s+|the\\s+)?${xs}\\b`),
    new RegExp(`(?:^|[^\\w-])${xs},\\s+(?:an?|the|which|that)\\s`),
    new RegExp(`\\b(?:an?)\\s+(?:[\\w-]+,?\\s+){1,5}${xs}[.!;:]?$`),
    // "胜任力（英语：Competence）是指…": a gloss in brackets may come between X and 是.
    new RegExp(`^${x}(?:[（(][^）)]*[）)])?(?:是|指|即|就是)`),
    new RegExp(`(?:称为|称作|叫做|叫作|简称|即)${x}`),
  ];
  return patterns.some((p) => p.test(s));
}
