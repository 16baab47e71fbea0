import { describe, expect, it } from "vitest";
import { RunningLines } from "../../ingest/parsers/running-lines.js";

/** A book-like page: an even/odd running line at the bottom, as pdf-parse extracts them. */
function page(n: number, body: string[]): string {
  const running = n % 2 === 0 ? `${n} FREE CULTURE` : `INTRODUCTION ${n}`;
  return [...body, running].join("\n");
}

describe("RunningLines", () => {
  it("drops running headers and footers once they repeat, and keeps every body line", () => {
    const rl = new RunningLines();
    const out: string[] = [];
    const words = ["radio", "piracy", "property", "puzzles", "balances", "afterword", "notes", "index"];
    const body = (n: number) => [
      `The ${words[n % 8]} story goes on, in its ${words[(n + 3) % 8]} way.`,
      `Another line about ${words[(n + 5) % 8]} and ${words[(n + 1) % 8]}.`,
      "A line that repeats on every page but sits mid-page",
      `Closing words on ${words[(n + 2) % 8]}, ${words[(n + 6) % 8]} and more.`,
      `The last body line mentions ${words[(n + 7) % 8]} ${n * 3} times.`,
    ];
    for (let n = 1; n <= 12; n++) out.push(rl.strip(page(n, body(n))));
    // Each running line is dropped from its third page on (pages 5+ for the odd, 6+ for the even one).
    expect(out.slice(0, 4).every((p) => /FREE CULTURE|INTRODUCTION/.test(p))).toBe(true);
    expect(out.slice(5).some((p) => /FREE CULTURE|INTRODUCTION/.test(p))).toBe(false);
    for (const [i, p] of out.entries()) expect(p.split("\n").slice(0, 5)).toEqual(body(i + 1));
    // Removed lines leave no blank line behind (that would read as a paragraph break).
    expect(out[8]).not.toMatch(/\n\n/);
  });

  it("leaves short documents and lines that do not repeat alone", () => {
    const rl = new RunningLines();
    const pages = ["Title\nFirst page text", "Second page\nwith other text", "Third\nlast page"];
    expect(pages.map((p) => rl.strip(p))).toEqual(pages);
  });

  it("ignores long lines even when they repeat (body text, not a header)", () => {
    const rl = new RunningLines();
    const long = "x".repeat(150);
    const out = [1, 2, 3, 4].map((n) => rl.strip(`${long}\nbody ${n} here and there\n${long}`));
    expect(out.every((p) => p.startsWith(long))).toBe(true);
  });
});
