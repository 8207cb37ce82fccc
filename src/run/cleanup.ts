// What must not outlive an interrupted run: page process groups (and grandchildren that left them) and the temp
// directories the run stage made. The pool and the transpiler register them here; the CLI's SIGINT/SIGTERM/exit
// handler calls `emergencyCleanup()`. When the run stage lives on a worker thread, registrations are mirrored to
// the main thread, which is the one that receives signals.
//
// The main thread reads a run stage thread's registrations from a port of their own, and reads it to the end
// (`receiveMessageOnPort`) before it cleans up: a signal handled after the main thread was busy for a while (a small
// type-check on the main thread, src/analyze/threaded.ts) still finds every registration the stage made meanwhile,
// however the event loop orders the signal and the messages waiting for it.
//
// If validate-docs itself is killed with SIGKILL no handler runs: each run stage also starts a watchdog process
// (watchdog.ts, a shell waiting for the end of its stdin) and appends every registration to its registry file, so
// the watchdog cleans up after a dead parent.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { isMainThread, parentPort, receiveMessageOnPort, type MessagePort } from "node:worker_threads";
import { killStrays } from "./strays.js";
import { spawnWatchdog } from "./watchdog.js";

const groups = new Set<number>();
const dirs = new Set<string>();
/** Directories removed only when empty (a shared `.validate-docs` base another run may be using). */
const emptyDirs = new Set<string>();
/** Run tokens (see strays.ts) and watchdog registry files of the run stages in progress. */
const tokens = new Set<string>();
const registries = new Set<string>();
/** The registry file of the run stage in progress on this thread. */
let registry: string | undefined;

export interface CleanupMessage {
  t: "cleanup";
  op: "add" | "delete";
  kind: "group" | "dir" | "emptyDir" | "token" | "registry";
  value: number | string;
}

/** Worker side: where this thread's registrations go (`sendCleanupTo`); else the parent port. */
let feed: MessagePort | undefined;
/** Main side: the ports run stage threads register on (`receiveCleanupFrom`). */
const feeds = new Set<MessagePort>();

function mirror(msg: CleanupMessage): void {
  if (!isMainThread) (feed ?? parentPort)?.postMessage(msg);
}

/** In a run stage's thread: send its registrations to `port`, the other end of a `receiveCleanupFrom` port. */
export function sendCleanupTo(port: MessagePort): void {
  feed = port;
}

function drain(port: MessagePort): void {
  for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) applyCleanupMessage(m.message as CleanupMessage);
}

/**
 * On the main thread: apply the registrations a run stage's thread sends on `port` as they come, and every one still
 * waiting before an emergency cleanup. `close()` (once the thread has ended or reported) applies the rest and stops.
 */
export function receiveCleanupFrom(port: MessagePort): { close(): void } {
  feeds.add(port);
  port.on("message", (msg: CleanupMessage) => applyCleanupMessage(msg));
  return {
    close() {
      if (!feeds.delete(port)) return;
      drain(port);
      port.close();
    },
  };
}

const SETS = { group: groups, dir: dirs, emptyDir: emptyDirs, token: tokens, registry: registries } as const;

export function applyCleanupMessage(msg: CleanupMessage): void {
  const set = SETS[msg.kind] as Set<number | string>;
  if (msg.op === "add") set.add(msg.value);
  else set.delete(msg.value);
}

function record(op: "+" | "-", kind: "group" | "dir", value: number | string): void {
  if (!registry) return;
  try {
    fs.appendFileSync(registry, `${op} ${kind} ${value}\n`);
  } catch {
    /* the watchdog is a backstop; the run goes on without it */
  }
}

export function trackGroup(pid: number): void {
  groups.add(pid);
  record("+", "group", pid);
  mirror({ t: "cleanup", op: "add", kind: "group", value: pid });
}

export function untrackGroup(pid: number): void {
  groups.delete(pid);
  record("-", "group", pid);
  mirror({ t: "cleanup", op: "delete", kind: "group", value: pid });
}

export function trackDir(dir: string, kind: "dir" | "emptyDir" = "dir"): void {
  (kind === "dir" ? dirs : emptyDirs).add(dir);
  if (kind === "dir") record("+", "dir", dir);
  mirror({ t: "cleanup", op: "add", kind, value: dir });
}

export function untrackDir(dir: string, kind: "dir" | "emptyDir" = "dir"): void {
  (kind === "dir" ? dirs : emptyDirs).delete(dir);
  if (kind === "dir") record("-", "dir", dir);
  mirror({ t: "cleanup", op: "delete", kind, value: dir });
}

export interface RunGuard {
  /** Put in every page process's environment as RUN_TOKEN_ENV: its descendants carry it (strays.ts). */
  token: string;
  /** Kills the run's strays and ends the watchdog (the run stage finished and cleaned up after itself). */
  end(): void;
}

/**
 * Starts a run stage's guard: a token that marks its processes and a watchdog process that cleans up if this
 * process dies without running any handler (SIGKILL, OOM killer).
 */
export function startRunGuard(): RunGuard {
  const token = `${process.pid}-${randomBytes(6).toString("hex")}`;
  tokens.add(token);
  mirror({ t: "cleanup", op: "add", kind: "token", value: token });
  const file = path.join(os.tmpdir(), `validate-docs-watch-${token}.log`);
  let watchdog: ReturnType<typeof spawnWatchdog>;
  try {
    fs.writeFileSync(file, "");
    watchdog = spawnWatchdog(file, token);
  } catch {
    /* no watchdog: interrupts are still handled in-process */
  }
  if (watchdog) {
    registry = file;
    registries.add(file);
    mirror({ t: "cleanup", op: "add", kind: "registry", value: file });
  } else {
    fs.rmSync(file, { force: true });
  }
  return {
    token,
    end() {
      killStrays(token);
      tokens.delete(token);
      mirror({ t: "cleanup", op: "delete", kind: "token", value: token });
      if (registry) {
        // The registry goes first: at the end of its stdin the watchdog finds it gone and exits.
        fs.rmSync(registry, { force: true });
        registries.delete(registry);
        mirror({ t: "cleanup", op: "delete", kind: "registry", value: registry });
        registry = undefined;
      }
      watchdog?.stdin?.destroy();
    },
  };
}

/** Synchronous, so it can run in an `exit` handler: kills every tracked group and removes every tracked dir. */
export function emergencyCleanup(): void {
  for (const port of feeds) drain(port);
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
  for (const token of tokens) killStrays(token);
  tokens.clear();
  for (const file of registries) fs.rmSync(file, { force: true });
  registries.clear();
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
