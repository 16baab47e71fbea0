import { type ChildProcess, spawn } from "node:child_process";

const REPO = new URL("../../", import.meta.url).pathname;

export interface WorkerProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code (or signal) once the process is gone. */
  exited: Promise<number | NodeJS.Signals | null>;
}

/**
 * Starts `src/worker.ts` as its own Node process (no npx in between, so a signal reaches the
 * worker itself) and resolves once it reports ready, or rejects with its output if it exits first.
 */
export async function spawnWorker(env: Record<string, string>, timeoutMs = 60_000): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/worker.ts"], {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.once("exit", (code, signal) => resolve(signal ?? code)),
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`worker not ready after ${timeoutMs} ms:\n${out}`)),
      timeoutMs,
    );
    const onData = () => {
      if (out.includes("ingest worker ready")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on("data", onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited (${code}) before it was ready:\n${out}`));
    });
  });
  return { child, output: () => out, exited };
}

/** Stops a worker if it is still running (SIGTERM, then SIGKILL after a grace period). */
export async function stopWorker(w: WorkerProcess | undefined, graceMs = 10_000): Promise<void> {
  if (!w || w.child.exitCode !== null || w.child.signalCode !== null) return;
  w.child.kill("SIGTERM");
  const timer = setTimeout(() => w.child.kill("SIGKILL"), graceMs);
  await w.exited;
  clearTimeout(timer);
}
