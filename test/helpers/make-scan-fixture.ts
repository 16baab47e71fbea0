/**
 * Makes fixtures/pdf/aihub_scan_zh.pdf, the Simplified Chinese scan the OCR plugin is tested on: a
 * CMRC2018 dev paragraph (CC BY-SA 4.0, /work/shared/data/cmrc2018; its title and text below) set in
 * WenQuanYi Micro Hei (Debian's fonts-wqy-microhei) by Debian's Chromium, screenshot at 150 dpi in
 * greyscale, and placed as the only content of an A4 page by pdfkit: an image-only PDF, like a scanner
 * makes. Run once by hand (`npx tsx test/helpers/make-scan-fixture.ts`) where that font is installed;
 * the tests use the committed PDF and need no font.
 */
import { writeFileSync } from "node:fs";
import PDFDocument from "pdfkit";
import { launchChromium } from "./browser.js";

export const SCAN_ZH_TITLE = "当惹雍错";
export const SCAN_ZH_TEXT =
  "当惹雍错（），又名唐古拉雍木错，是一个咸水湖，位于中国西藏那曲地区尼玛县，冈底斯山脉中段北麓断陷盆地内。介于北纬30度45分~31度22分、东经86度23分~86度49分。湖面海拔4528米，长71.7公里，宽19.4公里，面积835.3平方公里，形状像一只长靴。当惹雍错是苯教徒心目中的神湖，湖东岸有苯教寺庙玉本寺和圣地穷宗山。从尼玛县城出发，约120公里左右大路，途经文部乡，乘汽车可以到达当惹雍错北侧文部村。当惹雍错风景极优美，环湖一周约250公里，多数路段可通汽车，路况起伏不大，没有高的山口，但有些山路崎岖，只适合徒步经过，沿途多有村庄，是高原深度旅行的上选。";

async function main() {
  // A4 at 150 dpi is 1240 x 1754 pixels; 12 pt text at 150 dpi is 25 px.
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1240, height: 1754 } });
  await page.setContent(
    `<html><body style="margin:150px 140px;font:25px/1.8 'WenQuanYi Micro Hei';color:#111;filter:grayscale(1)">
<h1 style="font-size:38px">${SCAN_ZH_TITLE}</h1><p>${SCAN_ZH_TEXT}</p></body></html>`,
  );
  const png = await page.screenshot({ type: "png" });
  await browser.close();
  const doc = new PDFDocument({ size: "A4", margin: 0, info: { Title: "", Producer: "scan" } });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve) => doc.on("end", () => resolve()));
  doc.image(png, 0, 0, { width: 595.28, height: 841.89 });
  doc.end();
  await done;
  writeFileSync(new URL("../../fixtures/pdf/aihub_scan_zh.pdf", import.meta.url), Buffer.concat(chunks));
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
