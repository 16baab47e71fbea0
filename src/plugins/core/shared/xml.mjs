// Just enough XML for the loaders' Office and EPUB parts, which are machine-written and regular:
// entity decoding, attributes, package relationships and markup stripped to text. Kept once here;
// `npm run plugins:pack` copies it into each loader that lists it in aihub.shared.

const ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: "\u00a0", shy: "" };

/** Decodes the XML entities and numeric character references (and &nbsp;, common in EPUB XHTML). */
export const unxml = (s) =>
  s.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e) =>
    e[0] === "#"
      ? String.fromCodePoint(e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : Number(e.slice(1)))
      : (ENTITIES[e] ?? m),
  );

/** An attribute of one tag's text (`<sheet name="x" .../>`), decoded; undefined when absent. */
export function attr(tag, name) {
  const m = new RegExp(`\\s${name.replace(":", "\\:")}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(tag);
  return m ? unxml(m[1] ?? m[2]) : undefined;
}

/** An OPC .rels part as id -> { target, type }. */
export function relationships(xml) {
  return new Map(
    [...(xml ?? "").matchAll(/<Relationship\b[^>]*>/g)].map((m) => [
      attr(m[0], "Id"),
      { target: attr(m[0], "Target") ?? "", type: attr(m[0], "Type") ?? "" },
    ]),
  );
}

/** A part path relative to the folder of another part ("ppt/slides/x.xml" + "../notes/y.xml"). */
export function resolvePart(from, target) {
  if (target.startsWith("/")) return target.slice(1);
  const parts = from.split("/").slice(0, -1);
  for (const seg of decodeURIComponent(target.split("#")[0]).split("/")) {
    if (seg === "..") parts.pop();
    else if (seg && seg !== ".") parts.push(seg);
  }
  return parts.join("/");
}
