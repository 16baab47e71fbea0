import { gunzipSync } from "node:zlib";

/**
 * A small reader for `npm pack` tarballs (gzip + ustar, with pax and GNU long names), so installing a
 * plugin needs no network and no extra package. Only regular files are returned; links, devices and
 * anything whose path leaves the package (absolute, `..`) are refused, not skipped, because a package
 * that contains them was not made by `npm pack`.
 */
export interface TarFile {
  path: string;
  bytes: Buffer;
  mode: number;
}

export class TarError extends Error {}

const MAX_UNPACKED = 512 * 1024 * 1024;

const str = (b: Buffer, at: number, len: number) => {
  const s = b.subarray(at, at + len);
  const nul = s.indexOf(0);
  return (nul === -1 ? s : s.subarray(0, nul)).toString("utf8");
};
const octal = (b: Buffer, at: number, len: number) => Number.parseInt(str(b, at, len).trim() || "0", 8);

function paxPath(body: Buffer): string | undefined {
  for (const line of body.toString("utf8").split("\n")) {
    const m = /^\d+ path=(.*)$/.exec(line);
    if (m) return m[1];
  }
  return undefined;
}

export function readTarball(gz: Uint8Array): TarFile[] {
  let tar: Buffer;
  try {
    tar = gunzipSync(gz, { maxOutputLength: MAX_UNPACKED });
  } catch (err) {
    throw new TarError(`not a gzip tarball (${(err as Error).message})`);
  }
  const files: TarFile[] = [];
  let at = 0;
  let longName: string | undefined;
  while (at + 512 <= tar.length) {
    const header = tar.subarray(at, at + 512);
    if (header.every((x) => x === 0)) break;
    const size = octal(header, 124, 12);
    const type = String.fromCharCode(header[156] || 48);
    const prefix = str(header, 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${str(header, 0, 100)}` : str(header, 0, 100));
    longName = undefined;
    const body = tar.subarray(at + 512, at + 512 + size);
    if (body.length < size) throw new TarError("the tarball is truncated");
    at += 512 + Math.ceil(size / 512) * 512;
    if (type === "x") {
      longName = paxPath(body);
      continue;
    }
    if (type === "L") {
      longName = str(body, 0, body.length);
      continue;
    }
    if (type === "g" || type === "5") continue;
    if (type !== "0" && type !== "7") throw new TarError(`${name}: links and special files are not allowed`);
    // npm pack puts everything under `package/`; strip the first segment whatever it is called.
    const parts = name.split("/").slice(1);
    if (!parts.length || name.startsWith("/") || parts.some((p) => p === ".." || p === "")) {
      throw new TarError(`${name}: the path leaves the package`);
    }
    files.push({ path: parts.join("/"), bytes: Buffer.from(body), mode: octal(header, 100, 8) });
  }
  if (!files.length) throw new TarError("the tarball holds no files");
  return files;
}
