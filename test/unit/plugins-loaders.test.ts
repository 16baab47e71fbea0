import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
// @ts-expect-error: the plugin is plain JavaScript without types; its PDF image reader is tested directly.
import { pdfPageImages } from "../../src/plugins/core/ocr/pdf-images.mjs";
import { invoke } from "../../src/plugins/package.js";
import type { PluginSandbox } from "../../src/plugins/sandbox/pool.js";
import { epub, pptx } from "../helpers/book-files.js";
import { sandboxFromTarball } from "../helpers/plugins.js";

/** The presentation and EPUB loaders (issue 19), packed like `npm run plugins:pack`, run sandboxed on real files. */
const open: PluginSandbox[] = [];
afterAll(() => {
  for (const s of open) s.close();
});
const fromTarball = (folder: string) => sandboxFromTarball(folder, open);

describe("core plugin: presentations", () => {
  it("reads a PPTX: a slide per page in deck order, text then notes, slide-number fields left out", async () => {
    const s = await fromTarball("src/plugins/core/presentations");
    const deck = await pptx("Quarterly review", [
      { text: ["Revenue & growth", "Revenue grew 12% to €4.2M"], notes: ["Mention the Kraków office."] },
      { text: [] },
      { text: ["Hiring plan", "招聘 5 名工程师"] },
    ]);
    const out = await invoke(s, "loader", "load", {
      bytes: deck.toString("base64"),
      mediaType: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
      filename: "review.pptx",
    });
    expect(out.title).toBe("Quarterly review");
    expect(out.pages).toEqual([
      { page: 1, text: "Revenue & growth\nRevenue grew 12% to €4.2M\nNotes: Mention the Kraków office." },
      { page: 3, text: "Hiring plan\n招聘 5 名工程师" },
    ]);
  });

  it("fails a file that is not a presentation with a message", async () => {
    const s = await fromTarball("src/plugins/core/presentations");
    const book = await epub("Not a deck", [{ heading: "One", paragraphs: ["x"] }]);
    await expect(
      invoke(s, "loader", "load", { bytes: book.toString("base64"), mediaType: "", filename: "x.pptx" }),
    ).rejects.toMatchObject({
      code: "plugin_crashed",
      message: expect.stringContaining("no ppt/presentation.xml"),
    });
  });
});

describe("core plugin: EPUB", () => {
  it("reads an EPUB: a chapter per page in spine order, XHTML stripped to text, empty cover skipped", async () => {
    const s = await fromTarball("src/plugins/core/epub");
    const book = await epub("The Little Guide", [
      {
        heading: "Chapter 1: Arrival",
        paragraphs: ["The train reached Gdańsk at dawn.", "Fish & chips < 5 zł."],
      },
      { heading: "Chapter 2: 离开", paragraphs: ["她在黎明时离开了。"] },
    ]);
    const out = await invoke(s, "loader", "load", {
      bytes: book.toString("base64"),
      mediaType: "application/epub+zip",
      filename: "guide.epub",
    });
    expect(out.title).toBe("The Little Guide");
    expect(out.pages).toEqual([
      { page: 1, text: "Chapter 1: Arrival\nThe train reached Gdańsk at dawn.\nFish & chips < 5 zł." },
      { page: 2, text: "Chapter 2: 离开\n她在黎明时离开了。" },
    ]);
  });
});

describe("core plugin: OCR", () => {
  it("makes the scanned fixtures' text readable: a Flate/indexed-colour scan and JPEG scans, page by page", async () => {
    const s = await fromTarball("src/plugins/core/ocr");
    const tika = readFileSync("fixtures/pdf/tika_testOCR.pdf");
    const one = await invoke(s, "loader", "load", {
      bytes: tika.toString("base64"),
      mediaType: "application/pdf",
      filename: "tika_testOCR.pdf",
    });
    expect(one.pages).toHaveLength(1);
    expect(one.pages[0]!.text).toMatch(/Happy New Year 2003/);
    const scan = readFileSync("fixtures/pdf/pdfjs_issue7229.pdf");
    const two = await invoke(s, "loader", "load", {
      bytes: scan.toString("base64"),
      mediaType: "application/pdf",
      filename: "scan.pdf",
    });
    expect(two.pages.map((p) => p.page)).toEqual([1, 2]);
    expect(two.pages[1]!.text).toMatch(/Results of the roadworthiness inspection/);
    // An image upload: the second page's scan, a real JPEG, given as a file of its own.
    const jpeg = pdfPageImages(scan)[1]!.images[0]!;
    expect([...jpeg.subarray(0, 2)]).toEqual([0xff, 0xd8]);
    const image = await invoke(
      s,
      "loader",
      "load",
      { bytes: jpeg.toString("base64"), mediaType: "image/jpeg", filename: "inspection.jpg" },
      { languages: ["eng"] },
    );
    expect(image).toMatchObject({ title: "inspection", pages: [{ page: 1 }] });
    expect(image.pages[0]!.text).toMatch(/Results of the roadworthiness inspection/);
  }, 240_000);
});
