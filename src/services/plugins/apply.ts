import type { ServiceCtx } from "../../context.js";
import { invoke } from "../../plugins/package.js";
import { isServiceError } from "../errors.js";
import type { SearchChunk } from "../search/search.js";
import { enabledPlugins } from "./org.js";

/**
 * Where enabled plugins act on a question (issue 19). A plugin that fails (timeout, memory, crash,
 * refused permission) fails only its own step: the question goes on with what came before, and the
 * failure is logged with the plugin's code, so one bad plugin never takes answers down with it.
 */
function skipped(ctx: ServiceCtx, plugin: string, step: string, err: unknown) {
  if (!isServiceError(err)) throw err;
  ctx.deps.logger.warn({ plugin, step, code: err.code, err: err.message }, "plugin step skipped");
}

/** Query expanders, in id order, each receiving the previous one's query. */
export async function expandQuery(ctx: ServiceCtx, query: string): Promise<string> {
  let out = query;
  for (const p of await enabledPlugins(ctx.deps, ctx.auth.tenantId, "query-expander", { cached: true })) {
    try {
      out = (await invoke(p.sandbox, "query-expander", "expand", { query: out }, p.config)).query;
    } catch (err) {
      skipped(ctx, p.manifest.id, "expand", err);
    }
  }
  return out;
}

/** Rerankers reorder retrieved chunks by their scores (ties keep retrieval order). */
export async function rerankChunks<C extends SearchChunk>(
  ctx: ServiceCtx,
  query: string,
  chunks: C[],
): Promise<C[]> {
  if (chunks.length < 2) return chunks;
  let out = chunks;
  for (const p of await enabledPlugins(ctx.deps, ctx.auth.tenantId, "reranker", { cached: true })) {
    try {
      const input = { query, chunks: out.map((c) => ({ id: c.id, text: c.text ?? "", score: c.score })) };
      const { scores } = await invoke(p.sandbox, "reranker", "rerank", input, p.config);
      if (scores.length !== out.length) {
        ctx.deps.logger.warn(
          { plugin: p.manifest.id },
          "reranker returned a score count unlike the chunks; ignored",
        );
        continue;
      }
      out = out
        .map((c, i) => ({ c, s: scores[i]!, i }))
        .sort((a, b) => b.s - a.s || a.i - b.i)
        .map((x) => x.c);
    } catch (err) {
      skipped(ctx, p.manifest.id, "rerank", err);
    }
  }
  return out;
}

/** Post-processors, in id order, each receiving the previous one's answer. */
export async function postprocessAnswer(
  ctx: ServiceCtx,
  input: {
    question: string;
    answer: string;
    citations: { n: number; documentId: string; title: string }[];
    model: string;
  },
): Promise<string> {
  let answer = input.answer;
  for (const p of await enabledPlugins(ctx.deps, ctx.auth.tenantId, "postprocessor", { cached: true })) {
    try {
      answer = (await invoke(p.sandbox, "postprocessor", "process", { ...input, answer }, p.config)).answer;
    } catch (err) {
      skipped(ctx, p.manifest.id, "postprocess", err);
    }
  }
  return answer;
}
