import type { Logger } from "../context.js";

export interface ShutdownPlan {
  logger: Logger;
  /** SHUTDOWN_TIMEOUT_MS: how long `stop` may take before `onTimeout` runs. */
  timeoutMs: number;
  /** Logged with the signal when it arrives, and once everything has stopped. */
  messages: { stopping: string; stopped: string };
  /** Finishes the work in flight and closes the runtime; the process exits 0 once it resolves. */
  stop: () => Promise<void>;
  /** At the deadline: cut what is left short (`stop` keeps going unless this exits the process). */
  onTimeout: () => void;
}

/**
 * The one graceful stop of a process (API server and ingestion worker): on the first SIGTERM or
 * SIGINT, stop once, with a deadline that cannot keep the process alive by itself; later signals
 * are ignored while the first one is being handled.
 */
export function stopOnSignals(plan: ShutdownPlan): void {
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    plan.logger.info({ signal }, plan.messages.stopping);
    const force = setTimeout(plan.onTimeout, plan.timeoutMs);
    force.unref();
    await plan.stop();
    clearTimeout(force);
    plan.logger.info(plan.messages.stopped);
    process.exit(0);
  };
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => void shutdown(signal));
}
