import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { PluginError } from "../services/errors.js";
import { HOST_API_VERSION, hostApiSatisfies, PluginManifest } from "./manifest.js";
import { OPERATIONS, type OpInput, type OpName, type OpOutput } from "./messages.js";
import type { PluginLane, PluginSandbox } from "./sandbox/pool.js";

export const MANIFEST_FILE = "aihub-plugin.json";

/** Reads and checks a plugin folder's manifest: shape, host API range, and that its main file exists. */
export async function readManifest(dir: string): Promise<PluginManifest> {
  const raw = await readFile(join(dir, MANIFEST_FILE), "utf8").catch(() => {
    throw new PluginError("plugin_invalid", dir, `the package has no ${MANIFEST_FILE} at its root`);
  });
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new PluginError("plugin_invalid", dir, `${MANIFEST_FILE} is not JSON`);
  }
  const parsed = PluginManifest.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    throw new PluginError(
      "plugin_invalid",
      dir,
      `${MANIFEST_FILE}: ${first.path.join(".") || "(root)"}: ${first.message}`,
    );
  }
  const m = parsed.data;
  if (!hostApiSatisfies(m.hostApi)) {
    throw new PluginError(
      "plugin_invalid",
      m.id,
      `it needs host API ${m.hostApi}; this host offers ${HOST_API_VERSION}`,
    );
  }
  const main = join(dir, m.main);
  if (!main.startsWith(`${dir}/`) || !(await stat(main).catch(() => null))?.isFile()) {
    throw new PluginError("plugin_invalid", m.id, `its main file ${m.main} is missing`);
  }
  return m;
}

/** Kinds whose calls only ingestion and connectors make; an embedder's lane is its caller's. */
const BACKGROUND_KINDS = new Set<PluginManifest["kind"]>(["loader", "text-filter", "connector"]);

/**
 * Runs one operation of a plugin with the kind's message shapes checked on both sides: the host never
 * sends a plugin a malformed input, and never uses an answer that does not match the contract. `lane`
 * (default by kind) keeps a search from waiting behind ingestion calls of the same plugin (pool.ts).
 */
export async function invoke<K extends PluginManifest["kind"], O extends OpName<K>>(
  sandbox: PluginSandbox,
  kind: K,
  op: O,
  input: OpInput<K, O>,
  config: Record<string, unknown> = {},
  lane: PluginLane = BACKGROUND_KINDS.has(kind) ? "background" : "interactive",
): Promise<OpOutput<K, O>> {
  if (sandbox.manifest.kind !== kind) {
    throw new PluginError("plugin_invalid", sandbox.label, `it is a ${sandbox.manifest.kind}, not a ${kind}`);
  }
  const [inSchema, outSchema] = (
    OPERATIONS[kind] as Record<string, readonly [import("zod").ZodType, import("zod").ZodType]>
  )[op]!;
  const value = await sandbox.call(op, inSchema.parse(input), config, lane);
  const out = outSchema.safeParse(value);
  if (!out.success) {
    const first = out.error.issues[0]!;
    throw new PluginError(
      "plugin_bad_output",
      sandbox.label,
      `${op} answered ${first.path.join(".") || "(root)"}: ${first.message}`,
    );
  }
  return out.data as OpOutput<K, O>;
}
