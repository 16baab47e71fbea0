// Types for the host's tests; the plugin itself is plain JavaScript and ships without this file.
export function decodeEntities(s: string): string;
export function links(html: string, pageUrl: string): string[];
export function title(html: string): string;
export function sitemap(xml: string): { index: boolean; locs: string[] };
