// CPU seconds (user+system) of another process, from /proc/<pid>/stat — used for Glance's own CPU per
// upload — and of the whole machine from /proc/stat, to see how much CPU other processes took meanwhile.
import { readFileSync } from "node:fs";

const TICKS = 100; // USER_HZ on Linux

/** utime+stime of `pid` in seconds, or NaN when unreadable. */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / TICKS; // fields 14 and 15 of the whole line
  } catch {
    return NaN;
  }
}

/** Busy CPU seconds of the whole machine, all cores (user+nice+system+irq+softirq+steal of /proc/stat). */
export function machineBusySeconds() {
  const [user, nice, system, , , irq, softirq, steal] = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  return (user + nice + system + irq + softirq + steal) / TICKS;
}

/** Runs `work`; resolves with its result, the CPU seconds `pid` spent meanwhile, and the machine's busy CPU seconds. */
export async function withCpuOf(pid, work) {
  const before = cpuSeconds(pid);
  const busyBefore = machineBusySeconds();
  const result = await work();
  return { result, cpu: cpuSeconds(pid) - before, busy: machineBusySeconds() - busyBefore };
}
