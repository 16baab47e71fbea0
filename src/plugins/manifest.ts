import semver from "semver";
import { z } from "zod";

/**
 * The plugin contract (issue 19): what a plugin declares about itself in `aihub-plugin.json` at the
 * root of its package. The host reads nothing else from a plugin before running it, so everything the
 * host must enforce (kind, host API range, permissions, limits) is here and checked once, at install.
 */
export const HOST_API_VERSION = "1.0.0";

export const PLUGIN_KINDS = [
  "loader",
  "chat-provider",
  "embedder",
  "reranker",
  "postprocessor",
  "connector",
  // Pages in, pages out, at ingestion (PII redaction): a loader's output passes through it.
  "text-filter",
  // A query in, a query out, before retrieval (glossary and synonyms).
  "query-expander",
] as const;
export type PluginKind = (typeof PLUGIN_KINDS)[number];

/** Host calls a plugin may make; each is refused unless declared (plugin_permission_denied). */
export const HOST_CALLS = ["fetch", "readFile", "log"] as const;
export type HostCall = (typeof HOST_CALLS)[number];

const PLUGIN_ID = /^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$/;
/**
 * A host name, or `*.` and a domain for its subdomains; a port may follow (`127.0.0.1:8080`). Or
 * `$config.<key>`: the host of the URL an organization sets in that configuration value (webhooks,
 * connectors), so the grant is what the organization's administrator typed, and nothing else.
 */
const HOST_PATTERN = /^((\*\.)?[a-z0-9.-]+(:\d{1,5})?|\$config\.[A-Za-z0-9_]{1,64})$/i;

export const PluginManifest = z
  .object({
    id: z.string().regex(PLUGIN_ID, "lowercase letters, digits and dashes, 3-64 characters"),
    version: z.string().refine((v) => semver.valid(v) !== null, "a semantic version such as 1.2.0"),
    kind: z.enum(PLUGIN_KINDS),
    name: z.string().min(1).max(120),
    description: z.string().max(2000).default(""),
    /** The file run in the sandbox, relative to the package root (an ES module). */
    main: z.string().min(1).max(300).default("index.mjs"),
    /** The range of host API versions this plugin works with, e.g. `^1.0.0`. */
    hostApi: z.string().refine((v) => semver.validRange(v) !== null, "a semver range such as ^1.0.0"),
    /** JSON Schema (draft 2020-12 subset) of the per-organization configuration. */
    configSchema: z.record(z.string(), z.unknown()).default({ type: "object" }),
    /** Names of configuration values that are secrets: stored encrypted, never listed back. */
    secrets: z.array(z.string().min(1).max(64)).max(20).default([]),
    permissions: z
      .object({
        /** Hosts the host fetches for the plugin; anything else is refused. */
        network: z.array(z.string().regex(HOST_PATTERN)).max(50).default([]),
        /** `own` lets the plugin read files of its own folder; `none` nothing. */
        files: z.enum(["none", "own"]).default("none"),
        hostCalls: z.array(z.enum(HOST_CALLS)).default(["log"]),
      })
      .default({ network: [], files: "none", hostCalls: ["log"] }),
    limits: z
      .object({
        memoryMb: z.number().int().min(16).max(2048).default(128),
        timeMs: z.number().int().min(50).max(600_000).default(10_000),
      })
      .default({ memoryMb: 128, timeMs: 10_000 }),
    /** Loaders: the media types and file extensions (".xlsx") they parse. */
    mediaTypes: z.array(z.string().min(3).max(200)).default([]),
    extensions: z.array(z.string().regex(/^\.[a-z0-9]{1,10}$/)).default([]),
  })
  .superRefine((m, ctx) => {
    if (m.kind === "loader" && m.mediaTypes.length + m.extensions.length === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["mediaTypes"],
        message: "a loader declares media types or extensions",
      });
    }
    if (m.permissions.network.length > 0 && !m.permissions.hostCalls.includes("fetch")) {
      ctx.addIssue({
        code: "custom",
        path: ["permissions", "hostCalls"],
        message: "network hosts need the fetch host call",
      });
    }
  });
export type PluginManifest = z.infer<typeof PluginManifest>;

/** Whether this host can run a plugin built for `range`. */
export function hostApiSatisfies(range: string, host = HOST_API_VERSION): boolean {
  return semver.satisfies(host, range);
}

/** The declared hosts with `$config.<key>` replaced by the host of that configured URL. */
export function declaredHosts(declared: readonly string[], config: Record<string, unknown>): string[] {
  return declared.flatMap((d) => {
    if (!d.startsWith("$config.")) return [d];
    const value = config[d.slice("$config.".length)];
    try {
      return typeof value === "string" ? [new URL(value).host.toLowerCase()] : [];
    } catch {
      return [];
    }
  });
}

/** Whether a URL's host (and port) is one the plugin declared. */
export function hostAllowed(declared: readonly string[], url: URL): boolean {
  const host = url.hostname.toLowerCase();
  const withPort = url.port ? `${host}:${url.port}` : host;
  return declared.some((d) => {
    const p = d.toLowerCase();
    if (p.startsWith("*.")) {
      const base = p.slice(2);
      return host.endsWith(`.${base}`) || withPort.endsWith(`.${base}`);
    }
    return p.includes(":") ? p === withPort : p === host;
  });
}
