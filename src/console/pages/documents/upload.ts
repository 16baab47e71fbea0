import { ApiProblem, authHeaders, type Schemas } from "../../api/client";

/**
 * Uploads one file as multipart with XMLHttpRequest, the one browser API that reports upload
 * progress; processing progress then comes from the document's event stream.
 */
export function uploadFile(
  kbId: string,
  file: Blob,
  filename: string,
  onProgress: (ratio: number) => void,
  signal: AbortSignal,
): Promise<Schemas["DocumentUploadAccepted"]> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/v1/knowledge-bases/${encodeURIComponent(kbId)}/documents`);
    for (const [k, v] of Object.entries(authHeaders("POST"))) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => {
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // Not JSON: handled below with the status.
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as Schemas["DocumentUploadAccepted"]);
      else
        reject(
          new ApiProblem(
            xhr.status,
            String(body.code ?? "internal_error"),
            String(body.detail ?? xhr.statusText),
          ),
        );
    };
    xhr.onerror = () => reject(new ApiProblem(0, "network_error", "network error"));
    xhr.onabort = () => reject(new DOMException("aborted", "AbortError"));
    signal.addEventListener("abort", () => xhr.abort(), { once: true });
    const form = new FormData();
    form.append("file", file, filename);
    xhr.send(form);
  });
}
