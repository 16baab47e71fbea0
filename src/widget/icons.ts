/**
 * Feedback icons drawn as SVG in the page's text color: emoji need a color-emoji font, which many
 * visitors' systems (and servers rendering screenshots) lack, and then show as empty boxes.
 */
export function arrow(direction: "up" | "down"): SVGSVGElement {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 16 16");
  svg.setAttribute("width", "14");
  svg.setAttribute("height", "14");
  svg.setAttribute("aria-hidden", "true");
  const path = document.createElementNS(ns, "path");
  path.setAttribute("d", direction === "up" ? "M8 2 15 12H1z" : "M8 14 1 4h14z");
  path.setAttribute("fill", "currentColor");
  svg.append(path);
  return svg;
}
