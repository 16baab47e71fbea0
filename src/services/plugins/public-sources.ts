import type { PluginManifest } from "../../plugins/manifest.js";
import { privateHostReason } from "../../plugins/sandbox/address-policy.js";
import { ValidationError } from "../errors.js";

/**
 * The hosts a plugin's configuration names (its `$config.<key>` network grants: the web connector's
 * `url`, the S3 connector's `endpoint`, the webhook post-processor's `url`) must be public unless the
 * operator allows private hosts, as the sandbox checks again on every fetch: refused when the
 * configuration is saved, the mistake shows at once instead of as a failed run or a skipped step.
 * Names that do not resolve here pass (the fetch refuses them), so a setting can name a host that will
 * exist later.
 */
export async function checkPublicSources(
  manifest: PluginManifest,
  config: Record<string, unknown>,
  who = "Plugins",
) {
  for (const grant of manifest.permissions.network) {
    if (!grant.startsWith("$config.")) continue;
    const key = grant.slice("$config.".length);
    if (config[key] === undefined) continue;
    let url: URL;
    try {
      url = new URL(String(config[key]));
    } catch {
      continue;
    }
    const reason = await privateHostReason(url, undefined, { allowUnresolved: true });
    if (reason) {
      throw new ValidationError(
        `${who} fetch only from public addresses, and ${reason}. An operator may allow private hosts with PLUGIN_ALLOW_PRIVATE_HOSTS=true.`,
        [{ field: `config.${key}`, message: reason }],
      );
    }
  }
}
