// PII redaction for ingestion. Numbers are redacted only when their check digits agree (Luhn for cards,
// ISO 7064 MOD 11-2 for Chinese resident IDs), so order numbers and ISBNs stay searchable.

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
// Mainland mobiles (1[3-9]x, 11 digits, optional +86), numbers written with a + country code, and
// North American (415) 555-0132 / 415-555-0132. Bare digit groups are left alone (card and order numbers).
const PHONE =
  /(?<![\d+])(?:(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}|\+\d{1,3}[ .-]?\(?\d{2,4}\)?[ .-]?\d{3,4}[ .-]?\d{3,4}|\(\d{3}\) ?\d{3}-\d{4}|\d{3}-\d{3}-\d{4})(?![ .-]?\d)/g;
const CN_ID = /(?<![\dXx])\d{17}[\dXx](?![\dXx])/g;
const CARD = /(?<!\d)(?:\d[ -]?){12,18}\d(?!\d)/g;

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = "10X98765432";

export function validCnId(id) {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * ID_WEIGHTS[i];
  if (ID_CHECK[sum % 11] !== id[17].toUpperCase()) return false;
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

export function luhn(digits) {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

const RULES = [
  ["email", EMAIL, () => true, "[EMAIL]"],
  ["cn_id", CN_ID, validCnId, "[CN_ID]"],
  [
    "card",
    CARD,
    (m) => {
      const d = m.replace(/[ -]/g, "");
      return d.length >= 13 && d.length <= 19 && luhn(d);
    },
    "[CARD]",
  ],
  ["phone", PHONE, () => true, "[PHONE]"],
];

export function redact(text, categories) {
  const counts = {};
  let out = text;
  for (const [name, re, ok, mark] of RULES) {
    if (!categories.includes(name)) continue;
    out = out.replace(re, (m) => {
      if (!ok(m)) return m;
      counts[name] = (counts[name] ?? 0) + 1;
      return mark;
    });
  }
  return { text: out, counts };
}

export function filter(input, host) {
  const kbs = host.config.knowledgeBases;
  if (Array.isArray(kbs) && kbs.length && !kbs.includes(input.knowledgeBaseId)) {
    return { pages: input.pages, counts: {} };
  }
  const categories = host.config.categories ?? ["email", "phone", "cn_id", "card"];
  const counts = {};
  const pages = input.pages.map((p) => {
    const r = redact(p.text, categories);
    for (const [k, v] of Object.entries(r.counts)) counts[k] = (counts[k] ?? 0) + v;
    return { page: p.page, text: r.text };
  });
  return { pages, counts };
}
