// What must not outlive an interrupted run: page process groups (and grandchildren that left them) and the temp
// directories the run stage made. The pool and the transpiler register them here; the CLI's SIGINT/SIGTERM/exit
// handler calls `emergencyCleanup()`. When the run stage lives on a worker thread, registrations are mirrored to
// the main thread, which is the one that receives signals.
import fs from "node:fs";
import { isMainThread, parentPort } from "node:worker_threads";

const groups = new Set<number>();
const dirs = new Set<string>();
/** Directories removed only when empty (a shared `.validate-docs` base another run may be using). */
const emptyDirs = new Set<string>();

export interface CleanupMessage {
  t: "cleanup";
  op: "add" | "delete";
  kind: "group" | "dir" | "emptyDir";
  value: number | string;
}

function mirror(msg: CleanupMessage): void {
  if (!isMainThread) parentPort?.postMessage(msg);
}

export function applyCleanupMessage(msg: CleanupMessage): void {
  const set = (msg.kind === "group" ? groups : msg.kind === "dir" ? dirs : emptyDirs) as Set<number | string>;
  if (msg.op === "add") set.add(msg.value);
  else set.delete(msg.value);
}

export function trackGroup(pid: number): void {
  groups.add(pid);
  mirror({ t: "cleanup", op: "add", kind: "group", value: pid });
}

export function untrackGroup(pid: number): void {
  groups.delete(pid);
  mirror({ t: "cleanup", op: "delete", kind: "group", value: pid });
}

export function trackDir(dir: string, kind: "dir" | "emptyDir" = "dir"): void {
  (kind === "dir" ? dirs : emptyDirs).add(dir);
  mirror({ t: "cleanup", op: "add", kind, value: dir });
}

export function untrackDir(dir: string, kind: "dir" | "emptyDir" = "dir"): void {
  (kind === "dir" ? dirs : emptyDirs).delete(dir);
  mirror({ t: "cleanup", op: "delete", kind, value: dir });
}

/** Synchronous, so it can run in an `exit` handler: kills every tracked group and removes every tracked dir. */
export function emergencyCleanup(): void {
  for (const pid of groups) {
    for (const target of [-pid, pid]) {
      try {
        process.kill(target, "SIGKILL");
      } catch {
        /* already gone */
      }
    }
  }
  groups.clear();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  dirs.clear();
  for (const dir of emptyDirs) {
    try {
      fs.rmdirSync(dir);
    } catch {
      /* not empty (another run) or gone */
    }
  }
  emptyDirs.clear();
}
