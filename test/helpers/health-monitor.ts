import type { TestApp } from "./app.js";

/**
 * Watches the service while a test runs: asks /healthz every `everyMs` and samples the process's
 * resident memory. A probe counts from when it was due, so time the event loop was blocked before
 * the probe could even start is included: what a client calling at that moment would wait.
 *
 * Each probe is measured twice: in wall time, and in CPU time the event-loop thread spent between
 * when the probe was due and its answer. On an idle machine the two are the same; on a machine whose
 * cores are shared with other work (CI, 2 busy cores) wall time stretches by however long the thread
 * waited for a core, which says nothing about the service. The CPU measure is what the service's own
 * event loop made the probe wait, and it is what the hostile-input suite holds to its bound.
 */
export interface HealthReport {
  probes: number;
  failures: number;
  /** Slowest probe, wall time. */
  worstMs: number;
  /** Slowest probe in event-loop CPU time: how long the service itself kept it waiting. */
  worstCpuMs: number;
  peakRssMb: number;
}

export function watchHealth(t: TestApp, everyMs = 20): { stop(): Promise<HealthReport> } {
  let running = true;
  const report: HealthReport = { probes: 0, failures: 0, worstMs: 0, worstCpuMs: 0, peakRssMb: rssMb() };
  const loop = (async () => {
    let due = performance.now();
    let dueCpu = threadCpuMs();
    while (running) {
      const res = await t.app.request("/healthz");
      await res.arrayBuffer();
      report.probes++;
      report.worstMs = Math.max(report.worstMs, performance.now() - due);
      report.worstCpuMs = Math.max(report.worstCpuMs, threadCpuMs() - dueCpu);
      if (res.status !== 200) report.failures++;
      report.peakRssMb = Math.max(report.peakRssMb, rssMb());
      // The timer fires late when the event loop is blocked: the next probe counts from when it was due.
      due = performance.now() + everyMs;
      // CPU the thread spends from here on (whatever ran before the timer got its turn, then the
      // probe) counts against the probe; waiting idle for the timer costs none.
      dueCpu = threadCpuMs();
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return report;
    },
  };
}

function threadCpuMs(): number {
  const { user, system } = process.threadCpuUsage();
  return (user + system) / 1000;
}

export function rssMb(): number {
  return Math.round(process.memoryUsage().rss / (1024 * 1024));
}
