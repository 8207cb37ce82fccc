// Processes that left their page's process group (a grandchild that called setsid, a daemon that double-forked)
// cannot be reached by a group kill. Every page process gets RUN_TOKEN_ENV in its environment and its descendants
// inherit it; a scan of /proc finds them by it. Linux only (elsewhere this finds nothing); a process that clears its
// environment escapes it, which docs/security.md states.
// Imports only node builtins. The watchdog (watchdog.ts) finds the same processes by the same token in its shell.
import fs from "node:fs";

/** Environment variable naming the run a page process belongs to. */
export const RUN_TOKEN_ENV = "VALIDATE_DOCS_RUN";

/** Pids (other than this process) whose environment carries `RUN_TOKEN_ENV=token`. */
export function findStrays(token: string): number[] {
  const needle = Buffer.from(`${RUN_TOKEN_ENV}=${token}\0`);
  const found: number[] = [];
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc");
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    try {
      // environ without the trailing NUL of the last entry: match a needle that may end the buffer too.
      const environ = Buffer.concat([fs.readFileSync(`/proc/${entry}/environ`), Buffer.from([0])]);
      if (environ.includes(needle)) found.push(pid);
    } catch {
      /* gone, or not ours to read */
    }
  }
  return found;
}

/**
 * Pids of the processes in process group `pgid` other than its leader; undefined where /proc cannot tell (not Linux).
 * A runner's group holds exactly the runner and what its current page started.
 */
export function groupMembers(pgid: number): number[] | undefined {
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc");
  } catch {
    return undefined;
  }
  const found: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === pgid) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      // pid (comm) state ppid pgrp …: comm may hold spaces and parentheses, so read after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) === pgid) found.push(Number(entry));
    } catch {
      /* gone */
    }
  }
  return found;
}

/** Kills every process of the run that is still alive; returns how many it signalled. */
export function killStrays(token: string): number {
  const pids = findStrays(token);
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      /* already gone */
    }
  }
  return pids.length;
}
