// Spreadsheets as pages: a page is a range of rows of one sheet ("Sheet 'Prices', rows 2-201"), each
// row written as "header: value" pairs so a chunk keeps the meaning of its cells.
import { attr, relationships, resolvePart, unxml } from "./xml.mjs";
import { unzip } from "./zip.mjs";

const textOf = (xml) => unxml([...xml.matchAll(/<t(?:\s[^>]*)?>([\s\S]*?)<\/t>/g)].map((m) => m[1]).join(""));

export function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = "";
  let quoted = false;
  const delimiter =
    (text.split("\n", 1)[0].match(/;/g)?.length ?? 0) > (text.split("\n", 1)[0].match(/,/g)?.length ?? 0)
      ? ";"
      : ",";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delimiter) {
      row.push(cell);
      cell = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += ch;
  }
  if (cell || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows.filter((r) => r.some((c) => c.trim()));
}

const colIndex = (ref) => {
  let n = 0;
  for (const ch of ref.replace(/\d+$/, "")) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
};

export function parseXlsx(bytes) {
  const zip = unzip(bytes);
  const read = (name) => zip.get(name)?.().toString("utf8");
  const shared = [...(read("xl/sharedStrings.xml") ?? "").matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) =>
    textOf(m[1]),
  );
  const rels = relationships(read("xl/_rels/workbook.xml.rels"));
  const sheets = [];
  for (const m of (read("xl/workbook.xml") ?? "").matchAll(/<sheet\b[^>]*>/g)) {
    const name = attr(m[0], "name") ?? "Sheet";
    const target = rels.get(attr(m[0], "r:id"))?.target ?? "";
    const path = resolvePart("xl/workbook.xml", target);
    const xml = read(path);
    if (!xml) continue;
    const rows = [];
    for (const r of xml.matchAll(/<row\b[^>]*>([\s\S]*?)<\/row>/g)) {
      const row = [];
      for (const c of r[1].matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
        const attrs = c[1];
        const inner = c[2] ?? "";
        const ref = /r="([A-Z]+\d+)"/.exec(attrs)?.[1];
        const type = /t="(\w+)"/.exec(attrs)?.[1];
        const v = /<v>([\s\S]*?)<\/v>/.exec(inner)?.[1];
        let value = "";
        if (type === "s") value = shared[Number(v)] ?? "";
        else if (type === "inlineStr") value = textOf(inner);
        else if (type === "b") value = v === "1" ? "TRUE" : "FALSE";
        else value = v !== undefined ? unxml(v) : "";
        row[ref ? colIndex(ref) : row.length] = value;
      }
      rows.push(Array.from(row, (x) => x ?? ""));
    }
    sheets.push({ name, rows: rows.filter((r) => r.some((c) => c.trim())) });
  }
  return sheets;
}

function pagesOf(sheets, rowsPerPage) {
  const pages = [];
  for (const sheet of sheets) {
    const [header = [], ...body] = sheet.rows;
    for (let start = 0; start < body.length; start += rowsPerPage) {
      const part = body.slice(start, start + rowsPerPage);
      const lines = part.map((row) =>
        row
          .map((v, i) => (v.trim() ? `${header[i]?.trim() || `Column ${i + 1}`}: ${v.trim()}` : ""))
          .filter(Boolean)
          .join("; "),
      );
      // Spreadsheet rows are numbered from 1 with the header as row 1.
      const first = start + 2;
      const last = start + 1 + part.length;
      pages.push({
        page: pages.length + 1,
        text: `Sheet "${sheet.name}", rows ${first}-${last}\n${lines.join("\n")}`,
      });
    }
  }
  return pages;
}

export function load(input, host) {
  const bytes = Buffer.from(input.bytes, "base64");
  const rowsPerPage = host.config.rowsPerPage ?? 50;
  const isCsv = input.mediaType === "text/csv" || input.filename.toLowerCase().endsWith(".csv");
  const sheets = isCsv
    ? [
        {
          name: input.filename.replace(/\.csv$/i, ""),
          rows: parseCsv(bytes.toString("utf8").replace(/^\uFEFF/, "")),
        },
      ]
    : parseXlsx(bytes);
  return { pages: pagesOf(sheets, rowsPerPage), title: input.filename.replace(/\.(csv|xlsx)$/i, "") };
}
