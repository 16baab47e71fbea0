import type { ParsedDocument } from "../types.js";

export interface Section {
  start: number;
  end: number;
  /** Texts of the enclosing headings, outermost first, ending with this section's own heading. */
  headingPath: string[];
}

/**
 * The document cut at its headings. A heading immediately followed by another ("# Part 1" then
 * "## Chapter 1") has no body of its own, so it joins the next section instead of becoming a chunk
 * that is nothing but a title.
 */
export function headingSections(doc: ParsedDocument): Section[] {
  const length = doc.text.length;
  const headings = doc.headings
    .filter((h) => h.start >= 0 && h.start < length)
    .sort((a, b) => a.start - b.start)
    .filter((h, i, all) => i === 0 || all[i - 1]!.start !== h.start);

  const sections: Section[] = [];
  const firstStart = headings[0]?.start ?? length;
  if (firstStart > 0) sections.push({ start: 0, end: firstStart, headingPath: [] });
  const stack: { level: number; text: string }[] = [];
  headings.forEach((h, k) => {
    while (stack.length > 0 && stack[stack.length - 1]!.level >= h.level) stack.pop();
    stack.push(h);
    sections.push({
      start: h.start,
      end: headings[k + 1]?.start ?? length,
      headingPath: stack.map((s) => s.text),
    });
  });

  for (let k = sections.length - 2; k >= 0; k--) {
    const section = sections[k]!;
    if (section.headingPath.length === 0) continue;
    const newline = doc.text.indexOf("\n", section.start);
    const bodyStart = newline < 0 || newline > section.end ? section.end : newline;
    if (!/[\p{L}\p{N}]/u.test(doc.text.slice(bodyStart, section.end))) {
      sections[k + 1]!.start = section.start;
      sections.splice(k, 1);
    }
  }
  return sections.filter((s) => /\S/.test(doc.text.slice(s.start, s.end)));
}
