import type { ServiceCtx } from "../../context.js";
import { ChatError } from "../../models/chat/errors.js";
import { FREE } from "../../models/cost.js";
import type { ModelInfo, ModelRegistry } from "../../models/registry.js";
import type { ChatModel, ChatUsage } from "../../models/types.js";
import { invoke } from "../../plugins/package.js";
import { type EnabledPlugin, enabledPlugins } from "./org.js";

/** Chat-provider plugins appear as models named `plugin:<plugin id>`, apart from configured ids. */
export const PLUGIN_MODEL_PREFIX = "plugin:";

const NO_USAGE: ChatUsage = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, source: "estimated" };

/**
 * The models an organization may use: the deployment's, plus its enabled chat-provider plugins (issue
 * 19). Plugin models are free to the service (the plugin's own provider bills its operator) and answer
 * in one piece: the sandbox's message API has no streaming.
 */
export async function modelsForOrg(ctx: ServiceCtx): Promise<ModelRegistry> {
  const base = ctx.deps.models;
  const plugins = await enabledPlugins(ctx.deps, ctx.auth.tenantId, "chat-provider", { cached: true });
  if (plugins.length === 0) return base;
  const extra = new Map(
    plugins.map((p) => {
      const id = `${PLUGIN_MODEL_PREFIX}${p.manifest.id}`;
      const info: ModelInfo = {
        id,
        provider: "plugin",
        upstream: p.manifest.id,
        contextWindow: null,
        maxOutputTokens: null,
        price: FREE,
        priceSource: "free",
      };
      return [id, { info, chat: pluginChatModel(id, p) }] as const;
    }),
  );
  return {
    list: () => [...base.list(), ...[...extra.values()].map((e) => e.info)],
    get: (id) => base.get(id) ?? extra.get(id),
    defaultModelId: base.defaultModelId,
  };
}

/** A chat model whose call is the plugin's `chat` operation in its sandbox. */
function pluginChatModel(id: string, p: EnabledPlugin): ChatModel {
  return {
    id,
    async *stream(messages, opts) {
      let out: Awaited<ReturnType<typeof invoke<"chat-provider", "chat">>>;
      try {
        out = await invoke(
          p.sandbox,
          "chat-provider",
          "chat",
          {
            messages: messages.map((m) => ({ role: m.role, content: m.content })),
            ...(opts.maxTokens ? { maxTokens: opts.maxTokens } : {}),
          },
          p.config,
        );
      } catch (err) {
        // The plugin's own code (plugin_timeout, plugin_crashed...) stays in the message.
        throw new ChatError({
          code: "upstream_error",
          message: (err as Error).message,
          beforeFirstToken: true,
          usage: NO_USAGE,
          cause: err,
        });
      }
      if (opts.signal?.aborted) {
        throw new ChatError({ code: "aborted", message: "aborted", beforeFirstToken: true, usage: NO_USAGE });
      }
      yield { type: "delta", text: out.text };
      yield {
        type: "usage",
        usage: {
          inputTokens: out.inputTokens,
          outputTokens: out.outputTokens,
          cachedInputTokens: 0,
          source: "provider",
        },
      };
    },
  };
}
