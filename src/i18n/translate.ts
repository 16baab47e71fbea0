/**
 * Fills a catalog string: `{{name}}` placeholders (the i18next syntax, so the console can hand the
 * same files to i18next) are replaced by the given values; unknown placeholders stay visible so a
 * missing value shows up in review instead of silently vanishing.
 */
export function fill(template: string, values: Record<string, string | number> = {}): string {
  return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? String(values[name]) : whole,
  );
}

/** The placeholder names a catalog string uses, for the catalog check. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(/\{\{\s*([\w.]+)\s*\}\}/g)].map((m) => m[1]!).sort();
}
