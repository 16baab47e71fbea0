// Types for the host's tests; the plugin itself is plain JavaScript and ships without this file.
export function uriEncode(s: string, keepSlash?: boolean): string;
export function sha256Hex(text: string): Promise<string>;
export function signedGet(opts: {
  endpoint: string;
  path: string;
  query?: Record<string, string>;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  now?: Date;
}): Promise<{ url: string; headers: Record<string, string> }>;
