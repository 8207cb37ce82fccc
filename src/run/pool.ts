// The process pool: one fresh child process per page (true isolation: globals, module singletons such as
// OpenTelemetry's, env and cwd all die with it), `concurrency` pages at a time, and the next process spawned
// before it is needed so its ≈40 ms start-up overlaps the current page. Each child runs in its own process
// group so a timeout kills the whole tree, grandchildren included.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { trackDir, trackGroup, untrackDir, untrackGroup } from "./cleanup.js";
import type { ChildMessage, ErrorInfo, Job } from "./protocol.js";

export interface PoolOptions {
  concurrency: number;
  /** MB, passed as --max-old-space-size. */
  memoryLimit: number;
  env: Record<string, string>;
  /** Node's permission model for page processes; absent: off. */
  sandbox?: Sandbox;
  /** How long a finished page may keep its event loop busy (servers, timers) before it is stopped. */
  lingerMs?: number;
  /** Called with each page's run as it ends; returning true starts no further page (`--bail`). */
  onPage?: (index: number, run: PageRun) => boolean;
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
  /** Per-block timeout in ms, same order as job.blocks. */
  timeouts: number[];
  /** True for an exception that is the library rejecting a placeholder's neutral value: the page is stopped there. */
  rejects?: (block: number, error: ErrorInfo) => boolean;
  /** What the page's blocks allow beyond the pool's sandbox (`sandbox="child-process"`): the page gets its own process. */
  allow?: Partial<Pick<Sandbox, "childProcess" | "workers" | "addons">>;
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
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, "../runtime/harness.js"), path.join(here, "../../dist/src/runtime/harness.js")];
  const found = candidates.find((c) => fs.existsSync(c));
  if (!found) throw new Error(`validate-docs: the run harness is not built (looked for ${candidates.join(", ")}); run \`npm run build\`.`);
  return found;
}

interface Child {
  proc: ChildProcess;
  cwd: string;
  messages: ChildMessage[];
  onMessage?: (m: ChildMessage) => void;
  stderrTail: string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** fd 3 closed: every message the child wrote has been read. */
  drained: Promise<void>;
}

function spawnChild(harness: string, options: PoolOptions): Child {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), "validate-docs-page-"));
  const sandbox = options.sandbox ? sandboxFlags(options.sandbox, cwd) : [];
  const proc = spawn(process.execPath, [`--max-old-space-size=${options.memoryLimit}`, "--enable-source-maps", ...sandbox, harness], {
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
      let message: ChildMessage;
      try {
        message = JSON.parse(line) as ChildMessage;
      } catch {
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
  const onMessage = (m: ChildMessage): void => {
    if (m.t === "start") {
      clearTimeout(timer);
      const ms = page.timeouts[m.block] ?? 10_000;
      timer = setTimeout(() => stop({ kind: "timeout", block: m.block, ms }), ms);
    } else if (m.t === "network") {
      clearTimeout(timer);
      stop({ kind: "network", block: m.block });
    } else if ((m.t === "end" && m.threw && page.rejects?.(m.block, m.threw)) || ((m.t === "uncaught" || m.t === "rejection") && page.rejects?.(m.block, m.error))) {
      clearTimeout(timer);
      stop({ kind: "placeholder", block: m.block });
    } else if (m.t === "end") {
      clearTimeout(timer);
    } else if (m.t === "done") {
      clearTimeout(timer);
      // The page passed its last block; give pending timers a moment, then stop whatever still runs.
      timer = setTimeout(() => stop({ kind: "done" }), lingerMs);
    }
  };
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

/** Runs every page in its own fresh process; results come back in input order (a hole for a page never started). */
export async function runPool(pages: PageJob[], options: PoolOptions): Promise<PageRun[]> {
  const harness = harnessPath();
  const results: PageRun[] = new Array(pages.length);
  const lingerMs = options.lingerMs ?? 1000;
  const slots = Math.max(1, Math.min(options.concurrency, pages.length));
  const spare: Child[] = [];
  let next = 0;
  let stopped = false;
  const take = (): Child => spare.pop() ?? spawnChild(harness, options);
  const worker = async (): Promise<void> => {
    while (next < pages.length && !stopped) {
      const index = next++;
      const wider = widened(options.sandbox, pages[index]!.allow);
      // A page that asks for more than the pool's sandbox gets a process started with its flags (not the prewarmed one).
      const child = wider ? spawnChild(harness, { ...options, sandbox: wider }) : take();
      // Prewarm: the process for this slot's next page starts while this page runs.
      if (next + spare.length < pages.length) spare.push(spawnChild(harness, options));
      results[index] = await runOn(child, pages[index]!, lingerMs);
      if (options.onPage?.(index, results[index]!)) stopped = true;
    }
  };
  try {
    await Promise.all(Array.from({ length: slots }, worker));
  } finally {
    for (const child of spare.splice(0)) dispose(child);
  }
  return results;
}
