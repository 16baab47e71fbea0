import { randomBytes } from "node:crypto";
import CFB from "cfb";
import iconv from "iconv-lite";

/**
 * What Word writes for a DOCX saved with a password (MS-OFFCRYPTO agile encryption): an OLE compound
 * file, not a zip, holding `EncryptionInfo` (version 4.4 + an XML descriptor), `EncryptedPackage` (the
 * encrypted zip) and the `\x06DataSpaces` storage. Written with SheetJS's `cfb`, an independent MS-CFB
 * implementation; the package bytes are random, as an encrypted package looks.
 */
export function encryptedDocx(): Uint8Array {
  const container = CFB.utils.cfb_new();
  const descriptor = Buffer.from(
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption">' +
      '<keyData saltSize="16" blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512" saltValue="' +
      randomBytes(16).toString("base64") +
      '"/></encryption>',
  );
  const info = Buffer.concat([Buffer.from([4, 0, 4, 0, 0x40, 0, 0, 0]), descriptor]);
  const packageSize = 9000;
  const encrypted = Buffer.concat([Buffer.alloc(8), randomBytes(packageSize)]);
  encrypted.writeUInt32LE(packageSize, 0);
  CFB.utils.cfb_add(container, "/EncryptionInfo", info);
  CFB.utils.cfb_add(container, "/EncryptedPackage", encrypted);
  CFB.utils.cfb_add(container, "/\u0006DataSpaces/Version", Buffer.from("version"));
  const written = CFB.write(container, { type: "buffer", fileType: "cfb" }) as Buffer;
  return new Uint8Array(written);
}

/**
 * A Russian web page in windows-1251 whose <meta charset> comes after `preambleBytes` of inline
 * script, as pages with big analytics snippets have: the spec's 1024-byte prescan would miss it.
 */
export function lateMetaCp1251Page(preambleBytes = 40 * 1024): {
  bytes: Uint8Array;
  title: string;
  phrase: string;
} {
  const title = "Инструкция по уходу за чугунной сковородой";
  const phrase = "прокалите сковороду в духовке";
  const line = "  window.dataLayer.push({ event: 'pageview', ts: Date.now(), ok: a < b && c > d });\n";
  const script = `<script>\n${line.repeat(Math.ceil(preambleBytes / line.length))}</script>\n`;
  const html = `<!doctype html>
<html lang="ru">
<head>
${script}<meta charset="windows-1251">
<title>${title}</title>
</head>
<body>
<main>
<h1>${title}</h1>
<p>Перед первым использованием вымойте её горячей водой, вытрите насухо и ${phrase} при температуре двести градусов в течение часа, смазав тонким слоем растительного масла.</p>
<p>После каждого приготовления очищайте поверхность без моющих средств и храните в сухом месте, чтобы не появилась ржавчина.</p>
</main>
</body>
</html>
`;
  return { bytes: new Uint8Array(iconv.encode(html, "windows-1251")), title, phrase };
}
