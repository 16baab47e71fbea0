import { readFileSync } from "node:fs";

/** Resident memory of a process in MB (VmRSS of /proc/PID/status, Linux); throws if it is gone. */
export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(m![1]) / 1024;
}
