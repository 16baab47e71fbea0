import { readdirSync, readFileSync } from "node:fs";

/**
 * CPU time of processes, read from /proc (Linux): what each part of a benchmark costs in CPU, which a
 * loaded machine does not inflate the way it inflates wall times. Values are milliseconds of user plus
 * system time, all threads of the process.
 */
const TICK_MS = 10; // USER_HZ is 100 on Linux for every architecture Node supports.

export function cpuMsOf(pid: number | undefined, withExitedChildren = false): number | null {
  if (!pid) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces), from field 3 (state) on: utime, stime,
    // then cutime, cstime (children that have exited and been waited for).
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const own = Number(fields[11]) + Number(fields[12]);
    const exited = withExitedChildren ? Number(fields[13]) + Number(fields[14]) : 0;
    return (own + exited) * TICK_MS;
  } catch {
    return null;
  }
}

/**
 * Every process whose command name is `comm` (PostgreSQL's backends, redis-server), summed, with the
 * children each has reaped: a PostgreSQL backend that exits (a pool closing an idle connection)
 * takes its CPU time out of the live processes and into the postmaster's cutime/cstime, so without
 * them PostgreSQL's share reads too low (a soak measured 0.04 ms per ask this way).
 */
export function cpuMsOfCommand(comm: string): number {
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").trim() !== comm) continue;
    } catch {
      continue;
    }
    total += cpuMsOf(Number(entry), true) ?? 0;
  }
  return total;
}

export type CpuSnapshot = Record<string, number | null>;

/** One reading of named processes plus whole commands (`cmd:postgres`) and this process (`self`). */
export function cpuSnapshot(pids: Record<string, number | undefined>, commands: string[]): CpuSnapshot {
  const out: CpuSnapshot = {};
  for (const [name, pid] of Object.entries(pids)) out[name] = cpuMsOf(pid);
  for (const c of commands) out[c] = cpuMsOfCommand(c);
  const self = process.cpuUsage();
  out.client = (self.user + self.system) / 1000;
  return out;
}

/** CPU milliseconds each part spent per unit of work between two snapshots, and their sum. */
export function cpuPerUnit(a: CpuSnapshot, b: CpuSnapshot, units: number) {
  const per: Record<string, number | null> = {};
  let total = 0;
  for (const name of Object.keys(b)) {
    const x = a[name];
    const y = b[name];
    if (x == null || y == null || units <= 0) {
      per[name] = null;
      continue;
    }
    per[name] = Math.round(((y - x) / units) * 100) / 100;
    total += y - x;
  }
  return { per, total: units > 0 ? Math.round((total / units) * 100) / 100 : null, cpu_ms: total };
}

/**
 * CPU time the hypervisor gave to other guests since boot (the `steal` column of /proc/stat), in ms:
 * on a virtual machine a slow window can be the host's, not the code's.
 */
export function stealMs(): number | null {
  try {
    return Number(readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/)[8]) * TICK_MS;
  } catch {
    return null;
  }
}
