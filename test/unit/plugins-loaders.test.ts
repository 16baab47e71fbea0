import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readTarball } from "../../src/plugins/install/tarball.js";
import { invoke, readManifest } from "../../src/plugins/package.js";
import { PluginSandbox } from "../../src/plugins/sandbox/process.js";
import { epub, pptx } from "../helpers/book-files.js";
import { packPlugin } from "../helpers/plugins.js";

/** The presentation and EPUB loaders (issue 19), packed like `npm run plugins:pack`, run sandboxed on real files. */
const open: PluginSandbox[] = [];
afterAll(() => {
  for (const s of open) s.close();
});
async function fromTarball(folder: string) {
  const { bytes } = packPlugin(folder);
  const dir = mkdtempSync(join(tmpdir(), "aihub-loader-"));
  for (const f of readTarball(bytes)) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.bytes);
  }
  const s = new PluginSandbox(dir, await readManifest(dir));
  open.push(s);
  return s;
}

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
