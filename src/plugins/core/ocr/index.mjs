// OCR of scanned PDFs and images (PNG, JPEG, TIFF), English and Simplified Chinese, with tesseract.js.
// Everything it needs ships inside this package: tesseract.js, one WebAssembly build of its core and
// the language data from @tesseract.js-data (node_modules, bundled by `npm run plugins:pack`), so
// nothing is fetched at run time. tesseract.js normally runs its engine on a worker thread; the sandbox
// allows no threads and this process is already the plugin's own, so its worker script runs here,
// driven with the same messages tesseract.js's createWorker sends it.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { pdfPageImages } from "./pdf-images.mjs";

const require = createRequire(import.meta.url);
const engine = require("tesseract.js/src/worker-script/index.js");
const LANGS = { eng: "@tesseract.js-data/eng", chi_sim: "@tesseract.js-data/chi_sim" };

engine.setAdapter({
  // The SIMD build with the LSTM engine only (Node has WebAssembly SIMD; the legacy engine is unused).
  getCore: async () => require("tesseract.js-core/tesseract-core-simd-lstm.js"),
  gunzip: (data) => require("node:zlib").gunzipSync(data),
  fetch: () => {
    throw new Error("the OCR plugin never downloads");
  },
  readCache: async () => undefined,
  writeCache: async () => undefined,
  deleteCache: async () => undefined,
  checkCache: async () => false,
});

let nextJob = 1;
function run(action, payload) {
  return new Promise((resolve, reject) => {
    engine.dispatchHandlers({ workerId: "ocr", jobId: `job-${nextJob++}`, action, payload }, (m) => {
      if (m.status === "resolve") resolve(m.data);
      else if (m.status === "reject") reject(new Error(`OCR ${action} failed: ${m.data}`));
    });
  });
}

let ready = null;
let readyLangs = "";
/** Loads the engine once per process and the languages when they change. */
function prepare(langs) {
  if (ready && readyLangs === langs.join("+")) return ready;
  readyLangs = langs.join("+");
  ready = (async () => {
    await run("load", { options: { lstmOnly: true, logging: false } });
    const data = langs.map((code) => {
      const dir = require.resolve(`${LANGS[code]}/package.json`).replace(/package\.json$/, "");
      return { code, data: readFileSync(`${dir}4.0.0_best_int/${code}.traineddata.gz`) };
    });
    await run("loadLanguage", { langs: data, options: { cacheMethod: "none", gzip: true, lstmOnly: true } });
    await run("initialize", { langs: langs.join("+"), oem: 1, config: {} });
  })();
  ready.catch(() => {
    ready = null;
  });
  return ready;
}

async function recognize(image) {
  const out = await run("recognize", { image: new Uint8Array(image), options: {}, output: { text: true } });
  // Tesseract spaces CJK characters apart; between two Han characters a space is not text.
  return out.text
    .replace(/(?<=[\u3000-\u9fff\uff00-\uffef])[ \t]+(?=[\u3000-\u9fff\uff00-\uffef])/g, "")
    .trim();
}

const kindOf = (b) =>
  b.subarray(0, 5).toString("latin1").includes("%PDF")
    ? "pdf"
    : b[0] === 0x89 && b[1] === 0x50
      ? "png"
      : b[0] === 0xff && b[1] === 0xd8
        ? "jpeg"
        : (b[0] === 0x49 && b[1] === 0x49) || (b[0] === 0x4d && b[1] === 0x4d)
          ? "tiff"
          : null;

export async function load(input, host) {
  const bytes = Buffer.from(input.bytes, "base64");
  const langs = host.config.languages?.length ? host.config.languages : ["eng", "chi_sim"];
  const kind = kindOf(bytes.subarray(0, 1024)) ?? (bytes.indexOf("%PDF-") >= 0 ? "pdf" : null);
  if (!kind) throw new Error("the file is neither a PDF nor a PNG, JPEG or TIFF image");
  await prepare(langs);
  const pages = [];
  const scans = kind === "pdf" ? pdfPageImages(bytes) : [{ page: 1, images: [bytes] }];
  for (const { page, images } of scans) {
    const texts = [];
    for (const image of images) texts.push(await recognize(image));
    const text = texts.filter(Boolean).join("\n\n");
    if (text) pages.push({ page, text });
  }
  return { pages, title: input.filename.replace(/\.(pdf|png|jpe?g|tiff?)$/i, "") };
}
