/**
 * Metadata titles are often left over from a template or the authoring tool ("Presentation1",
 * "Microsoft Word - draft3.doc", "untitled"); a wrong title is worse than none, so those become null.
 */
const PLACEHOLDER =
  /^(untitled( document)?|document\s*\d*|presentation\s*\d*|slide\s*\d*|book\s*\d*|no title|new document|microsoft (word|powerpoint) - .*)$/i;
const FILE_NAME = /^[^\s/\\]+\.(docx?|pdf|txt|html?|md|tex|dvi|ps|rtf|odt|pptx?|xlsx?|indd|qxd)$/i;

export function sensibleTitle(raw: string | null | undefined): string | null {
  if (!raw) return null;
  const title = raw.normalize("NFC").replace(/\s+/g, " ").trim();
  if (!/[\p{L}\p{N}]/u.test(title)) return null;
  if (PLACEHOLDER.test(title) || FILE_NAME.test(title)) return null;
  return title.length > 300 ? `${title.slice(0, 297).replace(/[\ud800-\udbff]$/, "")}...` : title;
}
