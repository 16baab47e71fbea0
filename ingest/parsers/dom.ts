import { DomHandler, Parser, type parseDocument } from "htmlparser2";
import { tooComplex } from "./errors.js";
import { MAX_ELEMENTS, MAX_HTML_DEPTH } from "./limits.js";

interface DomCaps {
  maxDepth: number;
  maxElements: number;
  /** "web page" or "Word document": how the message names the document. */
  what: string;
}

/**
 * htmlparser2's DOM builder with nesting depth and element count checked on every opening tag, so a
 * page nested 100,000 deep fails at depth 513 instead of building a tree the recursive walkers after
 * it would overflow the stack on (and that the library's implied-end-tag handling walks in quadratic
 * time).
 */
class CappedDomHandler extends DomHandler {
  private elements = 0;
  // A plain field, not a parameter property: parse threads load this file with Node's type stripping.
  private readonly caps: DomCaps;

  constructor(caps: DomCaps) {
    super();
    this.caps = caps;
  }

  override onopentag(name: string, attribs: Record<string, string>): void {
    super.onopentag(name, attribs);
    const { maxDepth, maxElements, what } = this.caps;
    if (this.tagStack.length - 1 > maxDepth) {
      throw tooComplex(
        `The ${what} nests elements more than ${maxDepth} deep (the limit on nesting depth)`,
        "Simplify its structure (or save it as plain text) and upload it again.",
      );
    }
    if (++this.elements > maxElements) {
      throw tooComplex(
        `The ${what} has more than ${maxElements.toLocaleString("en")} elements (the limit on element count)`,
        "Split it into smaller documents and upload those.",
      );
    }
  }
}

/** parseDocument with the ingestion limits on depth and element count; throws ParseError too_complex. */
export function parseCappedDocument(
  source: string,
  what: string,
  options: { lowerCaseTags?: boolean; lowerCaseAttributeNames?: boolean } = {},
): ReturnType<typeof parseDocument> {
  const handler = new CappedDomHandler({ maxDepth: MAX_HTML_DEPTH, maxElements: MAX_ELEMENTS, what });
  new Parser(handler, options).end(source);
  return handler.root;
}
