import { stopOnSignals } from "../../src/runtime/shutdown.js";

/**
 * A process that stops through the shared shutdown helper (test/unit/shutdown.test.ts): `clean`
 * stops in 50 ms; `stuck` never finishes stopping, so the deadline's onTimeout exits 1.
 */
const mode = process.argv[2] ?? "clean";
const say = (line: string) => process.stdout.write(`${line}\n`);
const logger = {
  info: (a: unknown, b?: string) => say(`info ${typeof a === "string" ? a : `${b} ${JSON.stringify(a)}`}`),
  warn: (a: unknown) => say(`warn ${String(a)}`),
  error: (a: unknown) => say(`error ${String(a)}`),
  debug: () => {},
  child: () => logger,
};
stopOnSignals({
  logger: logger as never,
  timeoutMs: 200,
  messages: { stopping: "stopping", stopped: "stopped" },
  async stop() {
    say("stop called");
    await new Promise((resolve) => (mode === "stuck" ? undefined : setTimeout(resolve, 50)));
  },
  onTimeout() {
    say("timed out");
    process.exit(1);
  },
});
// Keeps the event loop alive the way a server or worker does.
setInterval(() => {}, 1000);
say("ready");
