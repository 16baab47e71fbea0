import { createHash, createPublicKey, verify } from "node:crypto";

/** A public key the operator trusts to sign plugin tarballs (PLUGIN_TRUSTED_KEYS). */
export interface TrustedKey {
  name: string;
  /** SPKI DER of an Ed25519 or RSA key. */
  spki: Buffer;
}

export const sha256Hex = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/**
 * Which trusted key made `signature` (base64) over the tarball's bytes, or null when none did.
 * Ed25519 signs the bytes themselves; RSA signs their SHA-256 (PKCS#1 v1.5), as `openssl dgst -sha256 -sign`.
 */
export function signerOf(bytes: Uint8Array, signature: string, keys: readonly TrustedKey[]): string | null {
  const sig = Buffer.from(signature, "base64");
  for (const k of keys) {
    const key = createPublicKey({ key: k.spki, format: "der", type: "spki" });
    const algo = key.asymmetricKeyType === "ed25519" ? null : "sha256";
    try {
      if (verify(algo, bytes, key, sig)) return k.name;
    } catch {
      // a signature of the wrong length for this key type: not this key
    }
  }
  return null;
}
