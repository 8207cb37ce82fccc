// The page pool, `concurrency` pages at a time. A page runs either in a fresh worker thread of a long-lived runner
// process (src/runtime/runner.ts; one runner per slot, pages one after another, the next page's thread started
// while the current one runs) or, when it needs one (src/run/isolate.ts), in a fresh child process of its own (true
// process isolation: globals, module singletons, env, cwd and signal handlers all die with it; the next process is
// spawned before it is needed so its ≈40 ms start-up overlaps the current page). Runners and page processes each
// lead a process group so a kill takes the whole tree, grandchildren included; a runner whose page left a process
// behind, or whose page thread did not stop when told, is retired the same way and replaced.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import { isBuiltin } from "node:module";
import os from "node:os";
import path from "node:path";
import { ownFile } from "../util/own-files.js";
import { groupMembers } from "./strays.js";
import { trackDir, trackGroup, untrackDir, untrackGroup } from "./cleanup.js";
import type { ChildMessage, ErrorInfo, Job, RunnerMessage } from "./protocol.js";

export interface PoolOptions {
  concurrency: number;
  /** MB: a page process's --max-old-space-size, a page thread's resourceLimits. */
  memoryLimit: number;
  env: Record<string, string>;
  /** Node's permission model for page processes; absent: off. */
  sandbox?: Sandbox;
  /** How long a finished page may keep its event loop busy (servers, timers) before it is stopped. */
  lingerMs?: number;
  /** Called with each page's run as it ends; returning true starts no further page (`--bail`). */
  onPage?: (index: number, run: PageRun) => boolean;
  /**
   * Runners kept for the next call (the caller's rounds of continuations, same env and sandbox): a slot takes an idle
   * one before it starts one, and leaves a clean one here instead of stopping it; the caller ends them
   * (disposeRunners).
   */
  runners?: RunnerStash;
  /**
   * Pages wait for it before they start (their processes and runners are started meanwhile): the caller's thread is
   * about to be busy, and the clocks of a page (its blocks' timeouts) run on that thread (src/run/threaded.ts).
   */
  gate?: Promise<unknown>;
  /** Aborted: no further page starts (the caller kills the running ones, src/run/cleanup.ts). */
  signal?: AbortSignal;
  /** Called once each slot has started its first runner or process (and waits at the gate, if any). */
  started?: () => void;
}

/** Whether a page job is light: none of its blocks imports a package, and it has no DOM (see spawnRunner). */
export function isLightPage(codes: readonly string[], dom: boolean): boolean {
  return !dom && codes.every((code) => !importsPackage(code));
}

const SPECIFIERS = /\bfrom\s*["']([^"'\n]+)["']|\bimport\s*(?:\(\s*)?["']([^"'\n]+)["']|\brequire\s*\(\s*["']([^"'\n]+)["']/g;

/** Whether code names a module that is neither relative, absolute nor a Node builtin (read from its text: a guess). */
function importsPackage(code: string): boolean {
  for (const m of code.matchAll(SPECIFIERS)) {
    const spec = m[1] ?? m[2] ?? m[3] ?? "";
    if (/^(\.|\/|node:|data:|file:)/.test(spec)) continue;
    if (isBuiltin(spec)) continue;
    return true;
  }
  return false;
}

/** Idle runner processes shared by several runPool calls with the same options (see PoolOptions.runners). */
export interface RunnerStash {
  idle: Child[];
}

/** An idle runner of the stash that is still alive (one that ended while idle is stopped and dropped). */
function idleRunner(stash: RunnerStash | undefined): Child | undefined {
  for (let r = stash?.idle.pop(); r; r = stash?.idle.pop()) {
    if (r.proc.exitCode === null && r.proc.signalCode === null) return r;
    dispose(r);
  }
  return undefined;
}

/** Stops every idle runner of a stash and waits for it. */
export async function disposeRunners(stash: RunnerStash): Promise<void> {
  await Promise.all(stash.idle.splice(0).map(disposeAndWait));
}

/** What a sandboxed page process may do besides reading and writing its own temp dir (absolute paths). */
export interface Sandbox {
  read: string[];
  write: string[];
  childProcess: boolean;
  workers: boolean;
  addons: boolean;
}

/** Node flags of the permission model for a page process whose temp dir is `cwd`. */
export function sandboxFlags(sandbox: Sandbox, cwd: string): string[] {
  // One flag per path (Node 20.20 reads a comma in the value as part of the path).
  const grant = (flag: string, paths: string[]) => [...new Set([...paths, cwd])].map((p) => `${flag}=${p}`);
  const flags = ["--experimental-permission", ...grant("--allow-fs-read", sandbox.read), ...grant("--allow-fs-write", sandbox.write)];
  if (sandbox.childProcess) flags.push("--allow-child-process");
  if (sandbox.workers) flags.push("--allow-worker");
  if (sandbox.addons) flags.push("--allow-addons");
  return flags;
}

export interface PageJob {
  job: Job;
  /** `worker`: a fresh thread in the slot's runner process; `process`: a fresh process (src/run/isolate.ts decides). */
  isolate: "worker" | "process";
  /** Per-block timeout in ms, same order as job.blocks. */
  timeouts: number[];
  /** True for an exception that is the library rejecting a placeholder's neutral value: the page is stopped there. */
  rejects?: (block: number, error: ErrorInfo) => boolean;
  /** What the page's blocks allow beyond the pool's sandbox (`sandbox="child-process"`): the page gets its own process. */
  allow?: Partial<Pick<Sandbox, "childProcess" | "workers" | "addons">>;
  /** Loads no package and no DOM (isLightPage): a runner for light pages only starts without V8 flags. */
  light?: boolean;
}

/** The pool's sandbox widened by a page's allowances, or undefined when they add nothing (a prewarmed process fits). */
function widened(sandbox: Sandbox | undefined, allow: PageJob["allow"]): Sandbox | undefined {
  if (!sandbox || !allow) return undefined;
  const keys = (["childProcess", "workers", "addons"] as const).filter((k) => allow[k] && !sandbox[k]);
  return keys.length ? { ...sandbox, ...Object.fromEntries(keys.map((k) => [k, true])) } : undefined;
}

export type Ending =
  | { kind: "done" }
  | { kind: "timeout"; block: number; ms: number }
  /** The block tried to reach the network: the page was stopped there. */
  | { kind: "network"; block: number }
  /** The library rejected a placeholder's neutral value: the page was stopped there. */
  | { kind: "placeholder"; block: number }
  | { kind: "exited"; code: number | null; signal: NodeJS.Signals | null };

export interface PageRun {
  messages: ChildMessage[];
  ending: Ending;
  /** Tail of the process's real stderr (node's own fatal messages land here). */
  stderrTail: string;
}

export const STDERR_TAIL = 8 * 1024;

/** The built harness next to this module (dist), or the build output when running from sources. */
export function harnessPath(): string {
  return runtimeFile("harness.js");
}

/** The built runner (src/runtime/runner.ts), found like the harness. */
export function runnerPath(): string {
  return runtimeFile("runner.js");
}

function runtimeFile(name: string): string {
  const here = ownFile("run");
  const candidates = [path.join(here, "../runtime", name), path.join(here, "../../dist/src/runtime", name)];
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) throw new Error(`validate-docs: the run harness is not built (looked for ${candidates.join(", ")}); run \`npm run build\`.`);
  return found;
}

/** Grace for a runner to stop a page's thread when told before the runner is killed with its whole group. */
const STOP_GRACE_MS = 2000;

type PageEnd = Extract<RunnerMessage, { t: "page-end" }>;

interface Child {
  proc: ChildProcess;
  cwd: string;
  messages: ChildMessage[];
  onMessage?: (m: ChildMessage) => void;
  /** Runners: the page's thread stopped. */
  onPageEnd?: (m: PageEnd) => void;
  stderrTail: string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** fd 3 closed: every message the child wrote has been read. */
  drained: Promise<void>;
}

function spawnChild(harness: string, options: PoolOptions): Child {
  return spawnNode(harness, [], options, pageProcessFlags(options.memoryLimit));
}

/**
 * A runner gets the flags of a page process, plus `--allow-worker` under the sandbox: it starts the page threads.
 * When the sandbox denies worker threads, the harness's guard denies them to the page instead (Job.denyWorkers).
 * `light` (no page of the pool loads a package or a DOM): no V8 flag. Any V8 flag on the command line makes Node
 * compile its own modules without their built-in code cache (V8's code cache is keyed by the flags), in the runner
 * and in every page thread: ≈ 25 ms of CPU more per thread's start-up, most of a light page; a page that loads
 * packages gains more from the young generation and the interrupt budget (docs/performance.md, "The fixed cost of a
 * run", session 8). Page threads take their heap cap from `resourceLimits` (src/runtime/runner.ts) either way.
 */
function spawnRunner(runner: string, options: PoolOptions, light: boolean): Child {
  const withWorkers = options.sandbox && !options.sandbox.workers ? { ...options, sandbox: { ...options.sandbox, workers: true } } : options;
  return spawnNode(runner, [String(options.memoryLimit)], withWorkers, light ? [] : pageProcessFlags(options.memoryLimit));
}

/**
 * A young generation of 32 MB semi-spaces from the start (V8 starts at 1 MB and grows it): a page thread's start-up and
 * a few small blocks fit without a scavenge (at 1 MB they took three, ≈ 3 % of a small page's CPU), and a page that
 * loads a large package (axios, mongoose, openai: 20–60 MB of module graph, all of it live) takes fewer scavenges,
 * each copying what is still live. Applies to every isolate of the process, so to each page thread of a runner; the
 * heap cap (`memoryLimit`) is the old generation's and stays as it is.
 */
const YOUNG_GENERATION = ["--min-semi-space-size=32", "--max-semi-space-size=32"];
/**
 * Sixteen times V8's interrupt budget, as the CLI's own process has (bin/validate-docs.js): TurboFan optimizes a
 * function only after it has run sixteen times as long. A page thread lives ≈ 50–200 ms, mostly in Node's module
 * loaders, and at lower budgets V8's background threads optimized their functions in every thread, which then hardly
 * ran them (at the default budget ≈ 2.5 ms of CPU per page; at four times, the real-docs set's runners still spent
 * ≈ 1 s of TurboFan on 74 page threads). An example that computes for long is still optimized, a little later; the
 * flag changes when code is optimized, never what it computes.
 */
const INTERRUPT_BUDGET = "--interrupt-budget=1081344";

/** A page process's V8 flags (a runner's too, unless its pages are light): the heap cap, young generation and budget. */
function pageProcessFlags(memoryLimit: number): string[] {
  return [`--max-old-space-size=${memoryLimit}`, ...YOUNG_GENERATION, INTERRUPT_BUDGET];
}

function spawnNode(script: string, args: string[], options: PoolOptions, v8Flags: string[]): Child {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "validate-docs-page-"));
  const sandbox = options.sandbox ? sandboxFlags(options.sandbox, cwd) : [];
  const proc = spawn(process.execPath, [...v8Flags, ...sandbox, script, ...args], {
    cwd,
    // Sandboxed, the page's temp dir is the only place it may write: make it os.tmpdir() too.
    env: options.sandbox ? { ...options.env, TMPDIR: cwd } : options.env,
    detached: true,
    stdio: ["pipe", "pipe", "pipe", "pipe"],
  });
  trackDir(cwd);
  if (proc.pid !== undefined) trackGroup(proc.pid);
  const child: Child = {
    proc,
    cwd,
    messages: [],
    stderrTail: "",
    drained: Promise.resolve(),
    exit: new Promise((resolve) => {
      proc.on("error", () => resolve({ code: null, signal: null }));
      proc.on("exit", (code, signal) => resolve({ code, signal }));
    }),
  };
  let pending = "";
  const channel = proc.stdio[3] as NodeJS.ReadableStream;
  child.drained = new Promise((resolve) => channel.on("close", resolve));
  channel.setEncoding("utf8");
  channel.on("data", (chunk: string) => {
    // Linear in the line's size: only the new chunk is searched for the end of the line (a long line arrives in
    // many chunks, and searching the whole pending text each time was quadratic).
    let nl = chunk.indexOf("\n");
    if (nl === -1) {
      pending += chunk;
      return;
    }
    let rest = chunk;
    while (nl !== -1) {
      const line = pending + rest.slice(0, nl);
      pending = "";
      rest = rest.slice(nl + 1);
      nl = rest.indexOf("\n");
      if (!line) continue;
      let message: RunnerMessage;
      try {
        message = JSON.parse(line) as RunnerMessage;
      } catch {
        continue;
      }
      if (message.t === "page-end") {
        child.onPageEnd?.(message);
        continue;
      }
      child.messages.push(message);
      child.onMessage?.(message);
    }
    pending = rest;
  });
  channel.on("error", () => {});
  // Output that bypassed the harness (grandchildren, native code) is drained so no pipe ever blocks.
  proc.stdout?.resume();
  proc.stdout?.on("error", () => {});
  proc.stderr?.setEncoding("utf8");
  proc.stderr?.on("data", (chunk: string) => {
    child.stderrTail = (child.stderrTail + chunk).slice(-STDERR_TAIL);
  });
  proc.stderr?.on("error", () => {});
  proc.stdin?.on("error", () => {});
  return child;
}

function killTree(child: Child): void {
  if (child.proc.pid === undefined) return;
  try {
    process.kill(-child.proc.pid, "SIGKILL");
  } catch {
    /* ESRCH: the group is already gone */
  }
}


/**
 * dispose, then wait (bounded) until the process is gone: when the pool returns, no runner or page process of it is
 * still alive (a SIGKILL is delivered at once, but the process ends a moment later).
 */
async function disposeAndWait(child: Child): Promise<void> {
  dispose(child);
  await Promise.race([child.exit, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
}

function dispose(child: Child): void {
  killTree(child);
  for (const stream of child.proc.stdio) stream?.destroy();
  fs.rmSync(child.cwd, { recursive: true, force: true });
  untrackDir(child.cwd);
  if (child.proc.pid !== undefined) untrackGroup(child.proc.pid);
}

async function runOn(child: Child, page: PageJob, lingerMs: number): Promise<PageRun> {
  let ending: Ending | undefined;
  let timer: NodeJS.Timeout | undefined;
  // The harness keeps every child a block starts in the page's process group, so one group kill takes them all.
  const killAll = (): void => killTree(child);
  const stop = (e: Ending): void => {
    ending ??= e;
    killAll();
  };
  const onMessage = pageTimers(page, lingerMs, stop, (t) => {
    clearTimeout(timer);
    timer = t;
  });
  for (const m of child.messages) onMessage(m);
  child.onMessage = onMessage;
  child.proc.stdin?.end(JSON.stringify(page.job) + "\n");
  const exit = await child.exit;
  clearTimeout(timer);
  // Grandchildren share the process group: they go with it even when the page exited on its own.
  killAll();
  // Read what is still in the pipe; bounded because a grandchild that left the group could hold fd 3 open forever.
  await Promise.race([child.drained, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
  const done = child.messages.some((m) => m.t === "done");
  ending ??= done ? { kind: "done" } : { kind: "exited", ...exit };
  const run: PageRun = { messages: child.messages, ending, stderrTail: child.stderrTail };
  dispose(child);
  return run;
}

/**
 * Runs one page in a fresh thread of a runner. Same policy as a page process: a timeout, a network attempt or the
 * end of the linger time stops the page (the runner terminates its thread; if it has not within STOP_GRACE_MS the
 * runner is killed with its group). `keep`: the runner is clean and may take the next page.
 */
async function runOnRunner(runner: Child, page: PageJob, lingerMs: number, mayStartProcesses: boolean, more: boolean): Promise<{ run: PageRun; keep: boolean }> {
  runner.messages = [];
  runner.stderrTail = "";
  let ending: Ending | undefined;
  let timer: NodeJS.Timeout | undefined;
  let escalation: NodeJS.Timeout | undefined;
  const stop = (e: Ending): void => {
    ending ??= e;
    if (escalation) return;
    runner.proc.stdin?.write(JSON.stringify({ t: "stop" }) + "\n");
    escalation = setTimeout(() => killTree(runner), STOP_GRACE_MS);
  };
  runner.onMessage = pageTimers(page, lingerMs, stop, (t) => {
    clearTimeout(timer);
    timer = t;
  });
  const end = await new Promise<PageEnd | undefined>((resolve) => {
    runner.onPageEnd = resolve;
    void runner.exit.then(() => resolve(undefined));
    runner.proc.stdin?.write(JSON.stringify({ t: "page", job: page.job, more }) + "\n");
  });
  clearTimeout(timer);
  clearTimeout(escalation);
  runner.onMessage = undefined;
  runner.onPageEnd = undefined;
  const done = runner.messages.some((m) => m.t === "done");
  if (!end) {
    // The runner itself ended during the page (the page killed it, a native crash, or the stop escalation).
    const exit = await runner.exit;
    await Promise.race([runner.drained, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
    ending ??= done ? { kind: "done" } : { kind: "exited", ...exit };
    return { run: { messages: runner.messages, ending, stderrTail: runner.stderrTail }, keep: false };
  }
  ending ??= done ? { kind: "done" } : { kind: "exited", code: end.code, signal: null };
  const stderrTail = end.error ? `${runner.stderrTail}\n${end.error}`.slice(-STDERR_TAIL) : runner.stderrTail;
  // Under a sandbox that denies child processes (the default) a page cannot start one; otherwise a page that left a
  // process in the runner's group (or where /proc cannot tell) retires the runner, and the group kill takes it.
  const left = mayStartProcesses && runner.proc.pid !== undefined ? groupMembers(runner.proc.pid) : [];
  return { run: { messages: runner.messages, ending, stderrTail }, keep: end.clean && left !== undefined && left.length === 0 };
}

/**
 * The page's clock, shared by both isolation modes: each block's timeout from its `start`, a network attempt stops
 * the page at once, and after `done` the page may keep its event loop busy for `lingerMs`.
 */
function pageTimers(page: PageJob, lingerMs: number, stop: (e: Ending) => void, setTimer: (t: NodeJS.Timeout | undefined) => void): (m: ChildMessage) => void {
  return (m) => {
    if (m.t === "start") {
      const ms = page.timeouts[m.block] ?? 10_000;
      setTimer(setTimeout(() => stop({ kind: "timeout", block: m.block, ms }), ms));
    } else if (m.t === "network") {
      setTimer(undefined);
      stop({ kind: "network", block: m.block });
    } else if ((m.t === "end" && m.threw && page.rejects?.(m.block, m.threw)) || ((m.t === "uncaught" || m.t === "rejection") && page.rejects?.(m.block, m.error))) {
      setTimer(undefined);
      stop({ kind: "placeholder", block: m.block });
    } else if (m.t === "end") {
      setTimer(undefined);
    } else if (m.t === "done") {
      // The page passed its last block; give pending timers a moment, then stop whatever still runs.
      setTimer(setTimeout(() => stop({ kind: "done" }), lingerMs));
    }
  };
}

/**
 * Runs every page in a fresh thread of a runner or in a fresh process (PageJob.isolate); results come back in input
 * order (a hole for a page never started).
 */
export async function runPool(pages: PageJob[], options: PoolOptions): Promise<PageRun[]> {
  const needsRunner = pages.some((p) => p.isolate === "worker");
  const harness = harnessPath();
  const runnerFile = needsRunner ? runnerPath() : "";
  const results: PageRun[] = new Array(pages.length);
  const lingerMs = options.lingerMs ?? 1000;
  const slots = Math.max(1, Math.min(options.concurrency, pages.length));
  // processPagesFrom[i]: pages from i on that need a process (how many spare processes are worth starting).
  const processPagesFrom = new Array<number>(pages.length + 1).fill(0);
  for (let i = pages.length - 1; i >= 0; i--) processPagesFrom[i] = processPagesFrom[i + 1]! + (pages[i]!.isolate === "process" ? 1 : 0);
  // Pages from i on that may go to a runner. A runner starts the next page's thread while a page runs only when
  // more of them remain than there are other slots to take them: a thread's start-up is ≈ 0.3 s of CPU, a waste
  // for a page that never comes (the last pages of a run go one to each slot).
  const runnerPagesFrom = processPagesFrom.map((n, i) => pages.length - i - n);
  const light = pages.every((p) => p.light);
  const spare: Child[] = [];
  let next = 0;
  let stopped = options.signal?.aborted ?? false;
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<void>((resolve) => {
    onAbort = () => ((stopped = true), resolve());
    options.signal?.addEventListener("abort", onAbort, { once: true });
  });
  /** Until the gate opens (or the pool is stopped); false: stopped, start no page. */
  const ready = async (): Promise<boolean> => {
    if (options.gate) await Promise.race([options.gate, aborted]);
    return !stopped;
  };
  const take = (): Child => spare.pop() ?? spawnChild(harness, options);
  const worker = async (): Promise<void> => {
    let runner: Child | undefined;
    let finished = false;
    try {
      while (next < pages.length && !stopped) {
        const index = next++;
        const page = pages[index]!;
        const wider = widened(options.sandbox, page.allow);
        // A page that asks for more than the pool's sandbox gets a process started with its flags (not a prewarmed
        // one, and not a runner, whose flags are the pool's).
        if (page.isolate === "process" || wider) {
          const child = wider ? spawnChild(harness, { ...options, sandbox: wider }) : take();
          // Prewarm: the process for a later page starts while this page runs.
          if (processPagesFrom[next]! > spare.length) spare.push(spawnChild(harness, options));
          if (!(await ready())) {
            await disposeAndWait(child);
            break;
          }
          results[index] = await runOn(child, page, lingerMs);
        } else {
          runner ??= idleRunner(options.runners) ?? spawnRunner(runnerFile, options, light);
          if (!(await ready())) break;
          const { run, keep } = await runOnRunner(runner, page, lingerMs, !options.sandbox || options.sandbox.childProcess, runnerPagesFrom[next]! >= slots);
          results[index] = run;
          if (!keep) {
            dispose(runner);
            runner = undefined;
          }
        }
        if (options.onPage?.(index, results[index]!)) stopped = true;
      }
      finished = true;
    } finally {
      if (runner && finished && options.runners) options.runners.idle.push(runner);
      else if (runner) await disposeAndWait(runner);
    }
  };
  try {
    const slotsDone = Promise.all(Array.from({ length: slots }, worker));
    // Each slot ran up to its first wait: its runner or process is started.
    options.started?.();
    await slotsDone;
  } finally {
    // One pool per continuation round on the same signal: a listener left behind per round piled up (Node warned
    // "MaxListenersExceededWarning … 11 abort listeners" on stderr from the eleventh round on).
    options.signal?.removeEventListener("abort", onAbort!);
    await Promise.all(spare.splice(0).map(disposeAndWait));
  }
  return results;
}
