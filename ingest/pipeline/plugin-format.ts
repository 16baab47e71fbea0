// Kept apart from plugin-pages.ts so the upload side (src/services/plugins/ingest.ts) can name a
// loader's format without importing the parsers.

/** Versions a loader plugin reads are stored with this format prefix and the loader's id. */
export const PLUGIN_FORMAT_PREFIX = "plugin:";

/** The loader plugin a stored format names (`plugin:spreadsheets` -> spreadsheets), else null. */
export function loaderOfFormat(format: string): string | null {
  return format.startsWith(PLUGIN_FORMAT_PREFIX) ? format.slice(PLUGIN_FORMAT_PREFIX.length) : null;
}
