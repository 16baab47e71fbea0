import { readFileSync } from "node:fs";
import { parse } from "yaml";

const REPO = new URL("../../", import.meta.url).pathname;

export interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition?: string }>;
  healthcheck?: { test?: string[] };
  ports?: string[];
  volumes?: string[];
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** compose.yaml as Compose reads it: YAML with merge keys (`<<: *anchor`) resolved. */
export function readComposeFile(): ComposeFile {
  return parse(readFileSync(`${REPO}compose.yaml`, "utf8"), { merge: true }) as ComposeFile;
}

/**
 * Compose's variable interpolation: `${VAR}`, `${VAR:-default}` and `${VAR:?error}` (unset or empty
 * counts as unset, as in Compose), and `$$` for a literal `$`.
 */
export function interpolate(value: string, env: Record<string, string | undefined>): string {
  return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:-|:\?)([^}]*))?\}/g, (all, name, op, arg) => {
    if (all === "$$") return "$";
    const v = env[name];
    if (v !== undefined && v !== "") return v;
    if (op === ":?") throw new Error(`${name}: ${arg}`);
    return op === ":-" ? arg : "";
  });
}
