import { decryptBlob, encryptBlob } from "../../blobs/encryption.js";
import type { AppDeps } from "../../context.js";
import { ValidationError } from "../errors.js";

/**
 * A binding's secrets (an S3 secret key), sealed as an organization's plugin secrets are: AES-256-GCM
 * with the first BLOB_ENCRYPTION_KEYS key, bound to the organization and the binding, so a sealed value
 * copied to another row does not open.
 */
const aad = (tenantId: string, bindingId: string) => `connector-secrets:${tenantId}:${bindingId}`;

export function sealSecrets(
  deps: AppDeps,
  tenantId: string,
  bindingId: string,
  secrets: Record<string, string>,
): string {
  const key = deps.config.BLOB_ENCRYPTION_KEYS?.[0];
  if (!key) {
    throw new ValidationError("Connector secrets are stored encrypted: set BLOB_ENCRYPTION_KEYS first.", [
      { field: "secrets", message: "the service has no encryption key (BLOB_ENCRYPTION_KEYS)" },
    ]);
  }
  const bytes = encryptBlob(Buffer.from(JSON.stringify(secrets)), key, aad(tenantId, bindingId));
  return Buffer.from(bytes).toString("base64");
}

export function openSecrets(
  deps: AppDeps,
  tenantId: string,
  bindingId: string,
  sealed: string | null,
): Record<string, string> {
  if (!sealed) return {};
  const plain = decryptBlob(
    Buffer.from(sealed, "base64"),
    deps.config.BLOB_ENCRYPTION_KEYS ?? [],
    aad(tenantId, bindingId),
  );
  return JSON.parse(Buffer.from(plain).toString("utf8"));
}
