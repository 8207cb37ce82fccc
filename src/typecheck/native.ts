// The native TypeScript 7 compiler as a fast path for the type-check stage (option `typescript`, see
// docs/performance.md#the-native-typescript-7-fast-path). TypeScript 7 has no JavaScript compiler API, so the
// TypeScript 6 program is still built for the type-aware lint rules and for every finding; the native compiler only
// answers "which block files have a diagnostic at all". A block it passes is not type-checked again by TypeScript 6
// (that check is ≈ 60 % of the analysis thread); a block it flags is checked by TypeScript 6, whose diagnostics
// become the findings. So findings and codes stay TypeScript 6's (TS 7 reports e.g. TS2740 where TS 6 reports
// TS2345), and the one position mapping (src/extract/position.ts) is the only one.
//
// The native compiler runs over exactly the virtual block files of the TypeScript 6 program (same names, same text,
// same resolved compiler options), served through its API's virtual file system, in a worker thread of its own while
// this thread builds the TypeScript 6 program: the two overlap on two cores.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import ts from "../typescript.cjs";
import type { NativeCompiler } from "./native-find.js";

export type { NativeCompiler, NativeSetting, TypescriptMode } from "./native-find.js";

/** What the native compiler said about one program. */
export type NativeAnswer =
  | {
      ok: true;
      /** Virtual block files with at least one syntactic or semantic diagnostic → where each starts (UTF-16 offsets). */
      flagged: ReadonlyMap<string, readonly number[]>;
      ms: number;
    }
  | { ok: false; reason: string };

export interface NativeRun {
  /** Waits (this thread blocks) for the answer. */
  answer(): NativeAnswer;
}

/** How long the analysis thread waits for the native compiler before it checks every block with TypeScript 6. */
const WAIT_MS = 300_000;

/**
 * Starts the native compiler over the program's virtual files (`files`: file name → text, `dirs`: the folders they
 * are in, which may not exist on disk). The native tsconfig sits beside the program's tsconfig (relative `paths`
 * resolve from there), else in the root; it is virtual too.
 */
export function startNative(
  compiler: NativeCompiler,
  options: ts.CompilerOptions,
  files: ReadonlyMap<string, string>,
  dirs: ReadonlySet<string>,
  root: string,
): NativeRun {
  let config: string;
  try {
    config = nativeTsconfig(options, [...files.keys()]);
  } catch (err) {
    const reason = `the compiler options could not be given to the native compiler (${err instanceof Error ? err.message : String(err)})`;
    return { answer: () => ({ ok: false, reason }) };
  }
  const configDir = typeof options.configFilePath === "string" ? path.dirname(options.configFilePath) : root;
  const tsconfig = path.posix.join(configDir.replace(/\\/g, "/"), "__vd_native_tsconfig.json");
  const shared = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const request: WorkerRequest = {
    api: pathToFileURL(compiler.api).href,
    cwd: root,
    tsconfig,
    config,
    files: [...files],
    dirs: [...dirs],
    port: port2,
    shared,
  };
  let worker: Worker;
  try {
    worker = new Worker(WORKER_SOURCE, { eval: true, workerData: request, transferList: [port2] });
  } catch (err) {
    const reason = `the native compiler's thread did not start (${err instanceof Error ? err.message : String(err)})`;
    return { answer: () => ({ ok: false, reason }) };
  }
  worker.unref();
  let answered: NativeAnswer | undefined;
  return {
    answer() {
      if (answered) return answered;
      const waited = Atomics.wait(shared, 0, 0, WAIT_MS);
      const msg = receiveMessageOnPort(port1)?.message as WorkerReply | undefined;
      port1.close();
      void worker.terminate();
      if (!msg) {
        answered = { ok: false, reason: waited === "timed-out" ? `the native compiler did not answer within ${WAIT_MS / 1000} s` : "the native compiler's thread ended without an answer" };
      } else if (!msg.ok) {
        answered = { ok: false, reason: msg.error };
      } else if (msg.global.length) {
        // Options or global types the native compiler rejects (an option TypeScript 7 removed, for one): its answers
        // about the blocks would not be TypeScript 6's, so none is used.
        answered = { ok: false, reason: `the native compiler rejected the program: ${msg.global.slice(0, 3).join("; ")}` };
      } else {
        answered = { ok: true, flagged: new Map(Object.entries(msg.flagged)), ms: msg.ms };
      }
      return answered;
    },
  };
}

/**
 * A tsconfig for the native compiler: the TypeScript 6 program's resolved options (the user's tsconfig with its
 * `extends` chain and validate-docs' overrides, src/typecheck/options.ts), written back as JSON, and the block files.
 */
export function nativeTsconfig(options: ts.CompilerOptions, fileNames: readonly string[]): string {
  const serialize = (ts as unknown as { serializeCompilerOptions?: (o: ts.CompilerOptions) => Map<string, unknown> }).serializeCompilerOptions;
  if (typeof serialize !== "function") throw new Error(`TypeScript ${ts.version} has no serializeCompilerOptions`);
  const compilerOptions = Object.fromEntries(serialize(options));
  // `ignoreDeprecations: "6.0"` is about TypeScript 6's deprecations; TypeScript 7 removed those options instead.
  delete compilerOptions.ignoreDeprecations;
  return JSON.stringify({ compilerOptions, files: fileNames });
}

interface WorkerRequest {
  api: string;
  cwd: string;
  tsconfig: string;
  config: string;
  files: [string, string][];
  dirs: string[];
  port: MessagePort;
  shared: Int32Array;
}
type WorkerReply = { ok: true; flagged: Record<string, number[]>; global: string[]; ms: number } | { ok: false; error: string };

/**
 * The native compiler's thread (plain JavaScript, evaluated: it runs the same from sources under the test runner and
 * from the build). It serves the virtual files to the compiler through its API's file-system callbacks (anything
 * else falls through to the disk), asks for the diagnostics of every file, and always answers, then wakes the
 * analysis thread.
 */
const WORKER_SOURCE = `
const { workerData } = require("node:worker_threads");
const { api, cwd, tsconfig, config, files, dirs, port, shared } = workerData;
const texts = new Map(files);
texts.set(tsconfig, config);
const folders = new Set(dirs);
const reply = (message) => {
  port.postMessage(message);
  Atomics.store(shared, 0, 1);
  Atomics.notify(shared, 0);
};
// The API starts the compiler with its stderr on ours (stdio "inherit") and kills it on close, which can make it
// print "context canceled" into the user's output. Its stderr goes to a temp file instead: the tail of it is part of
// a failure's reason, and dropped otherwise.
const nodeFs = require("node:fs");
const errFile = require("node:path").join(require("node:os").tmpdir(), "vd-native-" + process.pid + "-" + require("node:worker_threads").threadId + ".log");
let errFd;
try {
  errFd = nodeFs.openSync(errFile, "w");
  const cp = require("node:child_process");
  const spawn = cp.spawn;
  cp.spawn = (cmd, args, opts) =>
    spawn(cmd, args, opts && Array.isArray(opts.stdio) && opts.stdio[2] === "inherit" ? { ...opts, stdio: [opts.stdio[0], opts.stdio[1], errFd] } : opts);
  require("node:module").syncBuiltinESMExports();
} catch {}
const stderrTail = () => {
  try {
    const text = nodeFs.readFileSync(errFile, "utf8").trim();
    return text ? " (the compiler's stderr: " + text.slice(-500) + ")" : "";
  } catch {
    return "";
  }
};
const cleanUp = () => {
  try {
    if (errFd !== undefined) nodeFs.closeSync(errFd);
    nodeFs.rmSync(errFile, { force: true });
  } catch {}
};
(async () => {
  const t0 = performance.now();
  const { API } = await import(api);
  const fs = {
    readFile: (f) => (texts.has(f) ? texts.get(f) : undefined),
    fileExists: (f) => (texts.has(f) ? true : undefined),
    directoryExists: (d) => (folders.has(d.replace(/\\/$/, "")) ? true : undefined),
    realpath: (f) => (texts.has(f) ? f : undefined),
  };
  const client = new API({ cwd, fs });
  let result;
  try {
    const snapshot = client.updateSnapshot({ openProjects: [tsconfig] });
    const project = snapshot.getProject(tsconfig);
    if (!project) throw new Error("the native compiler opened no project for " + tsconfig);
    const program = project.program;
    const text = (d) => (d.fileName ? d.fileName + ": " : "") + d.text + " (TS" + d.code + ")";
    const global = [...program.getConfigFileParsingDiagnostics(), ...program.getProgramDiagnostics(), ...program.getGlobalDiagnostics()]
      .filter((d) => d.category === 1)
      .map(text);
    const flagged = {};
    for (const d of [...program.getSyntacticDiagnostics(), ...program.getSemanticDiagnostics()]) {
      if (d.fileName && texts.has(d.fileName) && d.fileName !== tsconfig) (flagged[d.fileName] ??= []).push(d.pos);
    }
    result = { ok: true, flagged, global, ms: Math.round(performance.now() - t0) };
  } finally {
    // The compiler process ends before the answer: terminating this thread must never leave it behind.
    client.close();
  }
  cleanUp();
  reply(result);
})().catch((err) => {
  const error = "the native compiler failed: " + (err && err.message ? err.message : String(err)) + stderrTail();
  cleanUp();
  reply({ ok: false, error });
});
`;
