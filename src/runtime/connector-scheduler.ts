import type { AppDeps } from "../context.js";
import { runDueConnectors } from "../services/connectors/schedule.js";

/**
 * The connectors' schedule in this process: every CONNECTOR_TICK_MS it runs the bindings that are due.
 * Every API process (and, in the embedded profile, the one process) starts one; the bindings' leases
 * in the database make that safe, so no separate scheduler service or repeatable queue job is needed.
 */
export function startConnectorScheduler(deps: AppDeps): { stop(): Promise<void> } {
  const tickMs = deps.config.CONNECTOR_TICK_MS;
  if (tickMs === 0) return { stop: async () => {} };
  let running: Promise<unknown> | null = null;
  const tick = () => {
    // A long run spans ticks; this process starts no second sweep meanwhile.
    if (running || deps.lifecycle.draining) return;
    running = runDueConnectors(deps)
      .catch((err) => deps.logger.error({ err }, "connector schedule failed"))
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, tickMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
