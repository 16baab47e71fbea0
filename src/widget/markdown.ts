/**
 * A small Markdown renderer that builds DOM nodes and never parses HTML: model output can contain
 * anything, so text only ever becomes text nodes. Supports paragraphs, lists, fenced code, **bold**,
 * *italic*, `code`, [links](https://...) (http and https only, rel="noopener noreferrer", new tab) and
 * citation markers [n], which become buttons through `onCite`.
 */
export type CiteFn = (n: number) => HTMLElement | null;

const h = <K extends keyof HTMLElementTagNameMap>(tag: K) => document.createElement(tag);

const INLINE =
  /(\*\*([^*]+)\*\*|\*([^*\s][^*]*)\*|`([^`]+)`|\[([^\]]+)\]\(([^)\s]+)\)|\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\])/g;

export function safeHref(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
  } catch {
    return null;
  }
}

function inline(parent: Node, text: string, cite: CiteFn) {
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    if (m.index > last) parent.appendChild(document.createTextNode(text.slice(last, m.index)));
    last = m.index + m[0].length;
    if (m[2] !== undefined) inline(parent.appendChild(h("strong")), m[2], cite);
    else if (m[3] !== undefined) inline(parent.appendChild(h("em")), m[3], cite);
    else if (m[4] !== undefined) parent.appendChild(h("code")).textContent = m[4];
    else if (m[5] !== undefined) {
      const href = safeHref(m[6]!);
      if (!href) {
        parent.appendChild(document.createTextNode(m[5]));
        continue;
      }
      const a = h("a");
      a.href = href;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      a.textContent = m[5];
      parent.appendChild(a);
    } else {
      for (const n of m[7]!.split(",")) {
        const el = cite(Number(n.trim()));
        parent.appendChild(el ?? document.createTextNode(`[${n.trim()}]`));
      }
    }
  }
  if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
}

export function renderMarkdown(src: string, cite: CiteFn): DocumentFragment {
  const out = document.createDocumentFragment();
  const lines = src.replace(/\r/g, "").split("\n");
  let para: string[] = [];
  let list: HTMLElement | null = null;
  const flush = () => {
    if (para.length) inline(out.appendChild(h("p")), para.join(" "), cite);
    para = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.startsWith("```")) {
      flush();
      list = null;
      const code: string[] = [];
      while (++i < lines.length && !lines[i]!.startsWith("```")) code.push(lines[i]!);
      out.appendChild(h("pre")).appendChild(h("code")).textContent = code.join("\n");
      continue;
    }
    const item = /^\s*(?:([-*+])|(\d+)[.)])\s+(.*)$/.exec(line);
    if (item) {
      flush();
      const tag = item[1] ? "ul" : "ol";
      if (!list || list.tagName.toLowerCase() !== tag) list = out.appendChild(h(tag));
      inline(list.appendChild(h("li")), item[3]!, cite);
      continue;
    }
    if (!line.trim()) {
      flush();
      list = null;
      continue;
    }
    list = null;
    para.push(line.replace(/^#{1,6}\s+/, ""));
  }
  flush();
  return out;
}
