import JSZip from "jszip";

/**
 * Real PPTX and EPUB files written at test time (there are no such fixtures): the parts and
 * relationships PowerPoint and EPUB 3 readers require, laid out the way their writers do.
 */

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const P =
  'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"';
const REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const rels = (list: { id: string; type: string; target: string }[]) =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${list
    .map((r) => `<Relationship Id="${r.id}" Type="${REL}/${r.type}" Target="${r.target}"/>`)
    .join("")}</Relationships>`;
const shapes = (paras: string[]) =>
  `<p:cSld><p:spTree><p:sp><p:txBody><a:bodyPr/>${paras
    .map((t) => `<a:p><a:r><a:rPr lang="en-US"/><a:t>${esc(t)}</a:t></a:r></a:p>`)
    .join("")}</p:txBody></p:sp></p:spTree></p:cSld>`;

/** A deck of slides (paragraphs, optional notes). Slide files are named in reverse to prove order comes from presentation.xml. */
export async function pptx(title: string, slides: { text: string[]; notes?: string[] }[]): Promise<Buffer> {
  const zip = new JSZip();
  const n = slides.length;
  const file = (i: number) => `slide${n - i}.xml`;
  zip.file(
    "[Content_Types].xml",
    `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/>${slides
      .map(
        (_, i) =>
          `<Override PartName="/ppt/slides/${file(i)}" ContentType="application/vnd.openxmlformats-officedocument.presentationml.slide+xml"/>`,
      )
      .join("")}</Types>`,
  );
  zip.file("_rels/.rels", rels([{ id: "rId1", type: "officeDocument", target: "ppt/presentation.xml" }]));
  zip.file(
    "docProps/core.xml",
    `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>${esc(title)}</dc:title></cp:coreProperties>`,
  );
  zip.file(
    "ppt/presentation.xml",
    `<p:presentation ${P}><p:sldIdLst>${slides.map((_, i) => `<p:sldId id="${256 + i}" r:id="rId${i + 2}"/>`).join("")}</p:sldIdLst></p:presentation>`,
  );
  zip.file(
    "ppt/_rels/presentation.xml.rels",
    rels(slides.map((_, i) => ({ id: `rId${i + 2}`, type: "slide", target: `slides/${file(i)}` }))),
  );
  slides.forEach((s, i) => {
    zip.file(`ppt/slides/${file(i)}`, `<p:sld ${P}>${shapes(s.text)}</p:sld>`);
    if (!s.notes) return;
    zip.file(
      `ppt/slides/_rels/${file(i)}.rels`,
      rels([{ id: "rId1", type: "notesSlide", target: `../notesSlides/notesSlide${i + 1}.xml` }]),
    );
    // Notes pages carry a slide-number field, which is not text of the talk.
    const number = `<a:p><a:fld id="{1}" type="slidenum"><a:t>${i + 1}</a:t></a:fld></a:p>`;
    zip.file(
      `ppt/notesSlides/notesSlide${i + 1}.xml`,
      `<p:notes ${P}>${shapes(s.notes).replace("</p:txBody>", `${number}</p:txBody>`)}</p:notes>`,
    );
  });
  return zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE" });
}

/** An EPUB 3 book: chapters as XHTML files, listed in the spine (in the given order) after a cover. */
export async function epub(
  title: string,
  chapters: { heading: string; paragraphs: string[] }[],
): Promise<Buffer> {
  const zip = new JSZip();
  zip.file("mimetype", "application/epub+zip", { compression: "STORE" });
  zip.file(
    "META-INF/container.xml",
    `<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>`,
  );
  const names = chapters.map((_, i) => `text/ch${String(chapters.length - i).padStart(2, "0")}.xhtml`);
  zip.file(
    "OEBPS/content.opf",
    `<?xml version="1.0" encoding="UTF-8"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:identifier id="id">urn:uuid:0</dc:identifier><dc:title>${esc(title)}</dc:title><dc:language>en</dc:language></metadata><manifest><item id="cover" href="cover.xhtml" media-type="application/xhtml+xml"/><item id="css" href="style.css" media-type="text/css"/>${names
      .map((n, i) => `<item id="c${i}" href="${n}" media-type="application/xhtml+xml"/>`)
      .join(
        "",
      )}</manifest><spine><itemref idref="cover"/>${names.map((_, i) => `<itemref idref="c${i}"/>`).join("")}</spine></package>`,
  );
  zip.file("OEBPS/style.css", "p { margin: 0 }");
  zip.file(
    "OEBPS/cover.xhtml",
    '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Cover</title></head><body><img src="cover.png" alt=""/></body></html>',
  );
  chapters.forEach((c, i) => {
    zip.file(
      `OEBPS/${names[i]}`,
      `<?xml version="1.0" encoding="UTF-8"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>${esc(c.heading)}</title><style>h1{color:red}</style></head><body><section><h1>${esc(c.heading)}</h1>${c.paragraphs
        .map((p) => `<p>${esc(p)}</p>`)
        .join("")}</section></body></html>`,
    );
  });
  return zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE" });
}
