import { ApiError } from "../../errors.js";
import { assertCleanText } from "../text-guard.js";

export interface ReceivedUpload {
  bytes: Uint8Array;
  filename: string;
  contentType?: string;
  /** Text fields of a multipart body (metadata, external_id); query parameters for raw bodies. */
  fields: Record<string, string>;
}

/**
 * Longest accepted filename, in characters: what file systems allow (255 bytes), with room for
 * non-Latin names. The filename becomes the document's first title and travels with every chunk and
 * search result, so it must be bounded.
 */
export const MAX_FILENAME_CHARS = 255;

/** Room for multipart boundaries, part headers and the small text fields next to the file. */
const ENVELOPE_BYTES = 256 * 1024;

function tooLarge(limitMb: number): ApiError {
  return new ApiError(
    "payload_too_large",
    `The upload is larger than ${limitMb} MB (MAX_UPLOAD_MB). Split the document into smaller files or ask the operator to raise MAX_UPLOAD_MB.`,
  );
}

/**
 * Reads an upload without ever holding more than the limit: a declared Content-Length over it is
 * refused before reading, and a chunked body is counted while streaming and cut off once it passes.
 */
export async function readUpload(req: Request, limitMb: number): Promise<ReceivedUpload> {
  const fileLimit = limitMb * 1024 * 1024;
  const contentType = req.headers.get("content-type") ?? undefined;
  const multipart = /^multipart\/form-data/i.test(contentType ?? "");
  const bodyLimit = fileLimit + (multipart ? ENVELOPE_BYTES : 0);
  const declared = Number(req.headers.get("content-length") ?? Number.NaN);
  if (declared > bodyLimit) throw tooLarge(limitMb);

  const body = await readLimited(req.body, bodyLimit, limitMb);
  if (!multipart) {
    const url = new URL(req.url);
    const filename =
      url.searchParams.get("filename") ?? dispositionFilename(req.headers.get("content-disposition"));
    if (!filename) {
      throw new ApiError(
        "validation_failed",
        "Name the file: send multipart field `file`, or `?filename=` with a raw body.",
        {
          errors: [
            {
              field: "filename",
              message: "required for raw uploads (query parameter or Content-Disposition)",
            },
          ],
        },
      );
    }
    return {
      bytes: body,
      filename: checkedFilename(filename),
      contentType,
      fields: Object.fromEntries(url.searchParams),
    };
  }

  let form: FormData;
  try {
    form = await new Response(body, { headers: { "content-type": contentType! } }).formData();
  } catch {
    throw new ApiError(
      "bad_request",
      "The multipart body could not be read. Send the document as form field `file`.",
    );
  }
  const file = form.get("file");
  if (!(file instanceof File)) {
    throw new ApiError(
      "validation_failed",
      "Send the document as multipart form field `file` (a file part).",
      {
        errors: [{ field: "file", message: "required file part" }],
      },
    );
  }
  if (file.size > fileLimit) throw tooLarge(limitMb);
  const fields: Record<string, string> = {};
  for (const [k, v] of form.entries()) {
    if (typeof v !== "string") continue;
    assertCleanText(k, "(form field name)");
    assertCleanText(v, k);
    fields[k] = v;
  }
  if (file.name) assertCleanText(file.name, "filename");
  return {
    bytes: new Uint8Array(await file.arrayBuffer()),
    filename: checkedFilename(file.name || "upload"),
    contentType: file.type || undefined,
    fields,
  };
}

function checkedFilename(filename: string): string {
  assertCleanText(filename, "filename");
  if (filename.length <= MAX_FILENAME_CHARS) return filename;
  throw new ApiError(
    "validation_failed",
    `The filename is ${filename.length.toLocaleString("en")} characters long; at most ${MAX_FILENAME_CHARS} are accepted. Rename the file and upload it again.`,
    { errors: [{ field: "filename", message: `at most ${MAX_FILENAME_CHARS} characters` }] },
  );
}

async function readLimited(
  stream: ReadableStream<Uint8Array> | null,
  limit: number,
  limitMb: number,
): Promise<Uint8Array<ArrayBuffer>> {
  if (!stream) return new Uint8Array(0);
  const reader = stream.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge(limitMb);
    }
    parts.push(value);
  }
  const out = new Uint8Array(new ArrayBuffer(total));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** RFC 6266: filename* (UTF-8, percent-encoded) wins over the plain filename. */
function dispositionFilename(header: string | null): string | null {
  if (!header) return null;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (star) {
    try {
      return decodeURIComponent(star[1]!.trim());
    } catch {}
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/.exec(header);
  return plain ? (plain[2] ?? plain[1]!).trim() : null;
}
