// Messages between the parent (src/run) and the child harness (src/runtime/harness.ts).
// The harness imports only this module (types and constants; it must stay free of imports), so the two sides share
// one contract and nothing else.
//
// Transport: the parent writes ONE job line (JSON + "\n") to the child's stdin; the child answers with
// newline-delimited JSON on fd 3, written synchronously (fs.writeSync) so that a message is on the wire
// before the block that follows can spin forever, call process.exit or run out of memory.

/** Prefix of the source-map `sources` entry of every block; stack frames inside a block start with it. */
export const BLOCK_SOURCE_PREFIX = "vd-block:";

/** Global function the `// =>` transform calls: `(blockKey, line, value) => value`. */
export const RECORD_VALUE_GLOBAL = "__validateDocsRecordValue__";

/**
 * Global object the run prelude of a block uses for page context: `give(key, getters)` publishes the block's
 * top-level values (live, through getters), `take(names)` reads the carried values a block uses.
 */
export const SCOPE_GLOBAL = "__validateDocsScope__";

/** Bytes of stdout/stderr kept per block; the rest is counted, not stored. */
export const CAPTURE_LIMIT = 1024 * 1024;

/** Characters kept of an error's message, text and stack, a warning's text and a `// =>` value (the rest is cut). */
export const MESSAGE_LIMIT = 64 * 1024;

export interface JobBlock {
  /** Run-unique key; stack frames in this block read `vd-block:<key>.<ext>:line:col`. */
  key: string;
  /** file:// URL of the transpiled module. */
  url: string;
}

export interface Job {
  blocks: JobBlock[];
  /** Hosts examples may reach (the `network` option); everything else is blocked (src/runtime/network.ts). */
  network: string[];
  /** Variables set in the example's environment before the first block (unset `process.env.X` placeholders). */
  env?: Record<string, string>;
  /** `env=browser`: the DOM implementation to make global before block `from` (src/runtime/dom.ts). */
  dom?: { module: string; kind: "happy-dom" | "jsdom"; from: number };
  /**
   * Runner threads only: the sandbox denies worker threads, which the permission model cannot do inside a runner
   * (it needs `--allow-worker` itself), so the harness's guard does.
   */
  denyWorkers?: boolean;
}

/** A stack frame as the child saw it (already source-mapped: the harness turns source maps on for the blocks). */
export interface Frame {
  /** Source file (a path, a file:// URL, `node:…`, or `vd-block:<key>.<ext>`). */
  file: string;
  line: number;
  column: number;
  fn?: string;
}

export interface ErrorInfo {
  name: string;
  /** The thrown value's constructor name (`ZodError`, `TypeError`, `Object`); "" when it has none. */
  className: string;
  message: string;
  /** `String(error)`, what `expect-throw="…"` is matched against. */
  text: string;
  stack: string;
  frames: Frame[];
  /** `error.code`, e.g. ERR_ACCESS_DENIED when the permission sandbox refused an operation. */
  code?: string;
  /** For ERR_ACCESS_DENIED: what was denied (FileSystemRead, FileSystemWrite, ChildProcess, WorkerThreads, …). */
  permission?: string;
  /** For ERR_ACCESS_DENIED: the path it was denied on, when there is one. */
  resource?: string;
  /** `error.input` when a string: the value Node's ERR_INVALID_URL (and others) rejected. */
  input?: string;
}

export type WarningSource = "console.warn" | "console.error" | "process.emitWarning";

export interface WarningInfo {
  source: WarningSource;
  text: string;
  /** Caller frames, innermost first, harness and `node:` frames removed. */
  frames: Frame[];
}

export interface Captured {
  text: string;
  /** Total bytes written, including what was not kept. */
  bytes: number;
  truncated: boolean;
}

export type ChildMessage =
  | { t: "ready" }
  | { t: "start"; block: number }
  | {
      t: "end";
      block: number;
      /** The block's module rejected (top-level throw or rejected top-level await). */
      threw?: ErrorInfo;
      /**
       * The block did not run: page context it uses (these names) is not there, because the earlier blocks that
       * declare them stopped before their declarations. It stopped on its prelude line, before its own code.
       */
      unavailable?: string[];
      stdout: Captured;
      stderr: Captured;
      /** `// =>` values: block-local line → util.inspect text. */
      values: { line: number; text: string }[];
    }
  | { t: "uncaught"; block: number; error: ErrorInfo }
  | { t: "rejection"; block: number; error: ErrorInfo }
  | { t: "warning"; block: number; own: boolean; warning: WarningInfo }
  | { t: "exit"; block: number; code: number; frames: Frame[] }
  /** The block tried to reach a host the network policy does not allow; the attempt failed as offline. */
  | { t: "network"; block: number; host: string; port?: number; via: string; frames: Frame[] }
  /** The permission sandbox refused an operation (seen whether or not the example caught it; src/runtime/denials.ts). */
  | { t: "denied"; block: number; permission: string; resource?: string; via: string; frames: Frame[] }
  /** The current block's promise can never settle: nothing is left on the event loop. */
  | { t: "stalled"; block: number }
  | { t: "done" };

/**
 * What a runner process (src/runtime/runner.ts) adds to its pages' messages: one line per page once the page's worker
 * thread has stopped. `code`: the thread's exit code; `error`: why it stopped abnormally (out of memory);
 * `clean`: the temp dir was emptied for the next page.
 */
export type RunnerMessage = ChildMessage | { t: "page-end"; code: number; error?: string; clean: boolean };
