// The child side: runs one page. Either the entry point of one fresh process per page (the job comes on stdin), or
// the entry point of a fresh worker thread that a long-lived runner process (runner.ts) starts per page (the job
// comes as the first message from the runner). Either way it imports the blocks in order and reports everything
// over fd 3 (see protocol.ts), written synchronously from this thread.
// It never decides what is a failure: the parent owns policy (timeouts, warnings, expected output).
// Imports from the parent: only run/protocol.ts (message types and the protocol's constants; it imports nothing).
// The network policy lives next to it in runtime/network.ts.
import { ChildProcess } from "node:child_process";
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { inspect } from "node:util";
import { createRequire, syncBuiltinESMExports } from "node:module";
import { isMainThread, parentPort } from "node:worker_threads";
import { BLOCK_SOURCE_PREFIX, CAPTURE_LIMIT, MESSAGE_LIMIT, RECORD_VALUE_GLOBAL, SCOPE_GLOBAL } from "../run/protocol.js";
import { watchDenials } from "./denials.js";
import { installNetworkGuard } from "./network.js";
import type { Captured, ChildMessage, ErrorInfo, Frame, Job, WarningInfo, WarningSource } from "../run/protocol.js";

const MESSAGE_FD = 3;

const harnessFile = fileURLToPath(import.meta.url);
const realExit = process.exit.bind(process);
const realEmitWarning = process.emitWarning.bind(process);
const realWarn = console.warn.bind(console);
const realError = console.error.bind(console);

let current = 0;
let running = false;
/** Set when a network attempt was blocked: the parent stops the page at that message (see pageTimers in run/pool.ts). */
let networkStopped = false;

const writeSync = fs.writeSync; // the real one: watchDenials wraps fs's functions

function send(message: ChildMessage): void {
  try {
    writeSync(MESSAGE_FD, JSON.stringify(message) + "\n");
  } catch {
    // The parent is gone (EPIPE): nobody is listening, stop quietly.
    realExit(70);
  }
}

// ---------------------------------------------------------------- capture
class Capture {
  private chunks: string[] = [];
  private kept = 0;
  bytes = 0;

  add(chunk: unknown, encoding?: unknown): void {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk as Uint8Array).toString("utf8");
    const size = typeof chunk === "string" ? Buffer.byteLength(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8") : (chunk as Uint8Array).byteLength;
    this.bytes += size;
    if (this.kept >= CAPTURE_LIMIT) return;
    const room = CAPTURE_LIMIT - this.kept;
    const piece = text.length > room ? text.slice(0, room) : text;
    this.chunks.push(piece);
    this.kept += piece.length;
  }

  take(): Captured {
    const result = { text: this.chunks.join(""), bytes: this.bytes, truncated: this.bytes > this.kept };
    this.chunks = [];
    this.kept = 0;
    this.bytes = 0;
    return result;
  }
}

const stdout = new Capture();
const stderr = new Capture();

function patchWrite(stream: NodeJS.WriteStream, capture: Capture): void {
  // Blocks' output is captured, never forwarded: a 50 MB write only costs a byte count.
  stream.write = ((chunk: unknown, encoding?: unknown, callback?: unknown) => {
    capture.add(chunk, encoding);
    const done = typeof encoding === "function" ? encoding : callback;
    if (typeof done === "function") process.nextTick(done as () => void);
    return true;
  }) as typeof stream.write;
}

// ---------------------------------------------------------------- stacks
const FRAME_RE = /^\s*at (?:(.*?) \()?(.+?):(\d+):(\d+)\)?$/;

function parseFrames(stack: string): Frame[] {
  const frames: Frame[] = [];
  for (const line of stack.split("\n")) {
    const m = FRAME_RE.exec(line);
    if (!m) continue;
    const file = m[2]!.startsWith("file://") ? safeFilePath(m[2]!) : m[2]!;
    frames.push({ file, line: Number(m[3]), column: Number(m[4]), ...(m[1] ? { fn: m[1] } : {}) });
  }
  return frames;
}

function safeFilePath(url: string): string {
  try {
    return fileURLToPath(url);
  } catch {
    return url;
  }
}

/** Frames of this file, also when a source map (tsc's harness.js.map) renames it to harness.ts. */
function isHarness(frame: Frame): boolean {
  return frame.file === harnessFile || HARNESS_SOURCE.test(frame.file);
}
const HARNESS_SOURCE = /[\\/]runtime[\\/](?:harness|denials)\.[jt]s$/;

function isHarnessOrInternal(frame: Frame): boolean {
  return isHarness(frame) || frame.file.startsWith("node:") || frame.file === "native";
}

/** The caller's frames, innermost first, without the harness's own frames. */
function rawCallerFrames(): Frame[] {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 60;
  const stack = new Error().stack ?? "";
  Error.stackTraceLimit = limit;
  return parseFrames(stack).filter((f) => !isHarness(f));
}

/** The caller's frames without the harness and node internals. */
function callerFrames(): Frame[] {
  return rawCallerFrames().filter((f) => !isHarnessOrInternal(f));
}

/** A 50 MB error message must not become a 50 MB protocol line the parent has to read. */
function cap(text: string, limit = MESSAGE_LIMIT): string {
  return text.length > limit ? `${text.slice(0, limit)}… [${text.length - limit} more characters cut by validate-docs]` : text;
}

function errorInfo(value: unknown): ErrorInfo {
  const className = constructorName(value);
  if (value instanceof Error) {
    const stack = safeString(value.stack ?? value);
    // Frames are at the end of the stack, after the message: parse the tail only.
    const frames = parseFrames(stack.length > MESSAGE_LIMIT ? stack.slice(-MESSAGE_LIMIT) : stack).filter((f) => !isHarnessOrInternal(f));
    const extra = value as { code?: unknown; permission?: unknown; resource?: unknown; input?: unknown };
    return {
      name: cap(safeString(value.name ?? "")),
      className,
      message: cap(safeString(value.message)),
      text: cap(safeString(value)),
      stack: cap(stack),
      frames,
      ...(typeof extra.code === "string" ? { code: cap(extra.code, 200) } : {}),
      ...(typeof extra.permission === "string" ? { permission: cap(extra.permission, 200) } : {}),
      ...(typeof extra.resource === "string" ? { resource: cap(extra.resource, 4096) } : {}),
      ...(typeof extra.input === "string" ? { input: cap(extra.input, 4096) } : {}),
    };
  }
  const text = cap(safeInspect(value));
  return { name: "", className, message: text, text: cap(safeString(value)), stack: "", frames: [] };
}

function constructorName(value: unknown): string {
  try {
    if (value === null || (typeof value !== "object" && typeof value !== "function")) return "";
    const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof name === "string" ? name : "";
  } catch {
    return "";
  }
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return safeInspect(value);
  }
}

function safeInspect(value: unknown): string {
  try {
    return inspect(value, { breakLength: Infinity, depth: 4 });
  } catch (err) {
    return `<uninspectable: ${String(err)}>`;
  }
}

// ---------------------------------------------------------------- warnings, exit, errors
function reportWarning(source: WarningSource, text: string): void {
  const raw = rawCallerFrames();
  // Node prints an emitted warning through console.error itself; the emitWarning call was reported already.
  if (source !== "process.emitWarning" && raw[0]?.file.startsWith("node:")) return;
  const frames = raw.filter((f) => !isHarnessOrInternal(f));
  const own = frames.length > 0 && frames[0]!.file.startsWith(BLOCK_SOURCE_PREFIX);
  // The block's own console.error (a catch that prints) is output, not a finding: only dependencies are sent.
  if (own) return;
  const warning: WarningInfo = { source, text: cap(text), frames };
  send({ t: "warning", block: current, own, warning });
}

function formatArgs(args: unknown[]): string {
  return args.map((a) => (typeof a === "string" ? a : safeInspect(a))).join(" ");
}

function installHooks(): void {
  console.warn = (...args: unknown[]) => {
    reportWarning("console.warn", formatArgs(args));
    realWarn(...args);
  };
  console.error = (...args: unknown[]) => {
    reportWarning("console.error", formatArgs(args));
    realError(...args);
  };
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const type = typeof rest[0] === "string" ? rest[0] : typeof rest[0] === "object" && rest[0] && "type" in rest[0] ? String((rest[0] as { type: unknown }).type) : undefined;
    const text = typeof warning === "string" ? `${type ?? "Warning"}: ${warning}` : `${warning.name}: ${warning.message}`;
    reportWarning("process.emitWarning", text);
    (realEmitWarning as (...a: unknown[]) => void)(warning, ...rest);
  }) as typeof process.emitWarning;
  process.exit = ((code?: number | string | null) => {
    const numeric = code === undefined || code === null ? (typeof process.exitCode === "number" ? process.exitCode : 0) : Number(code);
    send({ t: "exit", block: current, code: numeric, frames: callerFrames() });
    realExit(numeric);
  }) as typeof process.exit;
  process.on("uncaughtException", (err) => send({ t: "uncaught", block: current, error: errorInfo(err) }));
  process.on("unhandledRejection", (reason) => send({ t: "rejection", block: current, error: errorInfo(reason) }));
  process.on("beforeExit", () => {
    // The loop drained while a block's module is still pending: its promise can never settle.
    if (running) {
      running = false;
      send({ t: "stalled", block: current });
    }
  });
  patchWrite(process.stdout, stdout);
  patchWrite(process.stderr, stderr);
  keepChildrenInPageGroup();
}

/**
 * Every child_process API (spawn, exec, execFile, fork) goes through ChildProcess.prototype.spawn. A `detached`
 * child would lead a process group of its own and outlive the page; keeping it in the page's group means the
 * one group kill the parent does (timeout, end of page, Ctrl-C) takes it too, with no message that could race it.
 */
function keepChildrenInPageGroup(): void {
  const proto = ChildProcess.prototype as unknown as { spawn: (this: ChildProcess, options: { detached?: boolean }) => unknown };
  const original = proto.spawn;
  proto.spawn = function spawn(this: ChildProcess, options) {
    return original.call(this, options?.detached ? { ...options, detached: false } : options);
  };
}

/**
 * In a runner's worker thread the permission model cannot deny worker threads (the runner needs `--allow-worker` to
 * start the page's thread), so when the sandbox denies them this guard does: `new Worker(…)` throws the error the
 * permission model throws in a page process (ERR_ACCESS_DENIED, WorkerThreads), reported as run/permission.
 */
function denyWorkers(): void {
  const threads = createRequire(import.meta.url)("node:worker_threads") as { Worker: unknown };
  class Worker {
    constructor() {
      const err = new Error("Access to this API has been restricted. Use --allow-worker to manage permissions.") as Error & { code: string; permission: string };
      err.code = "ERR_ACCESS_DENIED";
      err.permission = "WorkerThreads";
      throw err;
    }
  }
  threads.Worker = Worker;
  syncBuiltinESMExports();
}

// ---------------------------------------------------------------- the page
const recorded = new Map<string, { line: number; text: string }[]>();

function defineRecorder(): void {
  Object.defineProperty(globalThis, RECORD_VALUE_GLOBAL, {
    enumerable: false,
    configurable: true,
    value: (key: string, line: number, value: unknown) => {
      const list = recorded.get(key) ?? [];
      list.push({ line, text: cap(safeInspect(value)) });
      recorded.set(key, list);
      return value;
    },
  });
}

/**
 * The page's scope for page context: each block gives getters over its top-level values (the latest giver of a
 * name wins), and a later block takes the carried values it uses. A value whose block stopped before declaring
 * it (it threw first, or could not be prepared or linked) is not there: the taker is not run (it stops on its
 * prelude line, before any of its own code) and is reported as such, never as a TypeError of `undefined`.
 */
class ContextUnavailable extends Error {
  constructor(readonly names: string[]) {
    super(`page context not available: ${names.join(", ")}`);
  }
}

/** Keys of the blocks that threw (their top-level values after the throw were never assigned). */
const threwBlocks = new Set<string>();

function defineScope(): void {
  // Bundled blocks declare top-level values with `var` (esbuild), so a value its block never got to is `undefined`
  // rather than in its temporal dead zone: `undefined` from a block that threw counts as not there.
  const scope = new Map<string, { key: string; get: () => unknown }>();
  Object.defineProperty(globalThis, SCOPE_GLOBAL, {
    enumerable: false,
    configurable: true,
    value: {
      give(key: string, getters: object) {
        for (const [name, d] of Object.entries(Object.getOwnPropertyDescriptors(getters))) if (d.get) scope.set(name, { key, get: d.get.bind(getters) });
      },
      take(names: string[]) {
        const out: Record<string, unknown> = {};
        const missing: string[] = [];
        for (const name of names) {
          const given = scope.get(name);
          if (!given) {
            missing.push(name); // its block never got to its prelude (not prepared, not linked)
            continue;
          }
          try {
            out[name] = given.get();
            if (out[name] === undefined && threwBlocks.has(given.key)) missing.push(name); // its block threw before it
          } catch {
            missing.push(name); // still in its temporal dead zone: the declaring block threw before it
          }
        }
        if (missing.length) throw new ContextUnavailable(missing);
        return out;
      },
    },
  });
}

function flushMacrotasks(): Promise<void> {
  // Two turns: unhandled rejections of the block's last microtasks are emitted before this resolves.
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

async function runJob(job: Job): Promise<void> {
  // Stacks of the blocks are mapped to page lines through their inline source maps. Turned on here, not with
  // `--enable-source-maps` on the command line: that also makes every thread read and decode the source maps of the
  // harness's own modules (tsc's .js.map files) before its first block (a run-only run of 100 pages took 0.95× the
  // CPU without that), and nothing needs them (the harness's frames are recognised by file, mapped or not). Modules
  // loaded from here on are mapped.
  process.setSourceMapsEnabled(true);
  // Neutral values for unset `process.env.X` placeholders: this page's environment only.
  if (job.env) Object.assign(process.env, job.env);
  defineRecorder();
  defineScope();
  installHooks();
  if (job.denyWorkers) denyWorkers();
  installNetworkGuard({
    allow: job.network,
    onBlocked: (attempt) => {
      networkStopped = true;
      send({ t: "network", block: current, ...attempt, frames: callerFrames() });
    },
  });
  // Only under the permission sandbox (process.permission exists only then) can anything be denied.
  if ((process as { permission?: unknown }).permission) watchDenials((denial) => send({ t: "denied", block: current, ...denial, frames: callerFrames() }));
  for (let i = 0; i < job.blocks.length; i++) {
    const block = job.blocks[i]!;
    current = i;
    running = true;
    send({ t: "start", block: i });
    let threw: ErrorInfo | undefined;
    let unavailable: string[] | undefined;
    try {
      // The DOM implementation's glue loads only for a page with browser blocks.
      if (job.dom?.from === i) await (await import("./dom.js")).installDom(job.dom);
      await import(block.url);
    } catch (err) {
      if (err instanceof ContextUnavailable) unavailable = err.names;
      else threw = errorInfo(err);
      threwBlocks.add(block.key);
    }
    running = false;
    await flushMacrotasks();
    send({ t: "end", block: i, ...(threw ? { threw } : {}), ...(unavailable ? { unavailable } : {}), stdout: stdout.take(), stderr: stderr.take(), values: recorded.get(block.key) ?? [] });
    // The parent stops a page at its first blocked network attempt and runs the blocks after that one in a
    // continuation: starting the next block here would run it twice (its side effects too) before the stop lands.
    if (networkStopped) await new Promise<never>(() => setInterval(() => {}, 1 << 30));
  }
  send({ t: "done" });
}

function readJob(): Promise<Job> {
  return new Promise((resolve, reject) => {
    let buffer = "";
    process.stdin.setEncoding("utf8");
    process.stdin.on("data", (chunk: string) => {
      buffer += chunk;
      const nl = buffer.indexOf("\n");
      if (nl === -1) return;
      // Stop listening so stdin does not keep the page's event loop alive.
      process.stdin.destroy();
      try {
        resolve(JSON.parse(buffer.slice(0, nl)) as Job);
      } catch (err) {
        reject(err);
      }
    });
    process.stdin.on("end", () => reject(new Error("stdin closed before a job arrived")));
  });
}

if (isMainThread) {
  send({ t: "ready" });
  readJob().then(runJob, (err: unknown) => {
    // No job (the parent shut a prewarmed process down): exit quietly.
    if (err instanceof Error && err.message.startsWith("stdin closed")) realExit(0);
    throw err;
  });
} else {
  // A runner's thread, maybe started ahead of its page: the job is the first message. After it the port no longer
  // keeps the thread alive, so the page ends when its event loop is empty, as a process would.
  parentPort!.once("message", (job: Job) => {
    parentPort!.unref();
    void runJob(job);
  });
}
