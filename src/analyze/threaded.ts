// Runs type-check + lint on a worker thread so the main thread never blocks in the checker: a signal is answered
// within moments at any point of a run (docs/running.md, "Interrupts"). A small analysis runs on the calling thread
// instead (`analyzesInline`): a worker thread costs ≈ 30 ms to start and ≈ 0.1 s to load the compiler a second time,
// most of a small run's analysis, while the main thread has the compiler loaded already; only the tool's own code
// runs there, over few blocks, so a signal waits at most that long (docs/performance.md). Also on the calling thread
// when the compiled worker is absent (sources under a test runner) or rule modules exist only as objects in memory.
import fs from "node:fs";
import { Worker } from "node:worker_threads";
import { countFromEnv } from "../util/env.js";
import { workerEntry } from "../util/own-files.js";
import type { AnalyzeOptions, AnalyzeOutcome, AnalyzeRequest } from "./index.js";

/** Where the worker gets rule modules: paths (relative to the root), or the config file that defines them. */
export type PluginSource = { paths: Record<string, string>; configFile?: undefined } | { configFile: string; paths?: undefined };

export interface Analyzing {
  outcome: Promise<AnalyzeOutcome>;
  stop(): Promise<void>;
  /** The analysis runs on the calling thread: it is busy until the outcome settles. */
  here: boolean;
}

/**
 * `plugins` are the loaded rule modules (used on the main thread); `configFile` is where object plugins come from.
 * `after`: an analysis on the calling thread starts once it settles (a run stage driven from this thread has started
 * its runner processes, src/run/threaded.ts).
 */
export function analyzeThreaded(
  requests: AnalyzeRequest[],
  options: AnalyzeOptions,
  plugins: { refs: Readonly<Record<string, unknown>>; loaded: Readonly<Record<string, unknown>>; configFile?: string },
  after?: Promise<unknown>,
): Analyzing {
  const file = workerEntry("analyze/worker");
  const refs = Object.entries(plugins.refs);
  const source: PluginSource | undefined = refs.every(([, v]) => typeof v === "string")
    ? { paths: Object.fromEntries(refs) as Record<string, string> }
    : plugins.configFile
      ? { configFile: plugins.configFile }
      : undefined;
  const here = analyzesInline(requests, refs.length > 0) || !source || !fs.existsSync(file);
  if ((process.env.VALIDATE_DOCS_DEBUG ?? "").split(",").includes("analyze")) {
    const size = `${blocksOf(requests)} blocks in ${requests.length} program(s), inline limit ${inlineLimit()}`;
    process.stderr.write(`validate-docs: analyze: type-check and lint on ${here ? "the calling thread" : "a worker thread"} (${size})\n`);
  }
  if (here) {
    // Synchronous on this thread (a signal waits until it is done); still a promise for the caller.
    // The stage's modules (the checker's programs, the rules) are loaded here only: they belong to the worker.
    const outcome = Promise.all([import("./index.js"), after])
      .then(([{ analyze }]) => analyze(requests, options, plugins.loaded))
      .then(async (result) => (await afterPoll(), result));
    return { outcome, stop: async () => {}, here };
  }
  const worker = new Worker(file, { workerData: { requests, options, plugins: source } });
  const outcome = new Promise<AnalyzeOutcome>((resolve, reject) => {
    let settled = false;
    worker.on("message", (msg: { ok: true; outcome: AnalyzeOutcome } | { ok: false; error: string }) => {
      settled = true;
      if (msg.ok) resolve(msg.outcome);
      else reject(new Error(`type-check/lint stage failed: ${msg.error}`));
      void worker.terminate();
    });
    worker.once("error", (err) => {
      settled = true;
      reject(err);
    });
    worker.once("exit", (code) => {
      if (!settled) reject(new Error(`type-check/lint worker exited with code ${code} before reporting`));
    });
  });
  outcome.catch(() => {});
  return {
    outcome,
    async stop() {
      await worker.terminate();
    },
    here,
  };
}

/**
 * Resolves once the event loop has polled for I/O since the call: a signal that came while this thread was busy is
 * handled in that poll, before anything the caller does next. Without it, a message that waited beside the signal
 * (the run stage's outcome) could let the run finish and write its reports first, and the signal would be lost.
 */
function afterPoll(): Promise<void> {
  // A thread-pool round trip (its completion is polled after the signal's pipe became readable), then the check
  // phase, which comes after every callback of that poll, the signal's included.
  return new Promise((resolve) => fs.stat(".", () => setImmediate(resolve)));
}

/** The most blocks analyzed on the calling thread by default (in at most INLINE_PROGRAMS programs). */
export const INLINE_BLOCKS = 40;
const INLINE_PROGRAMS = 2;

/** VALIDATE_DOCS_ANALYZE_INLINE, when set to a number: the limit instead of INLINE_BLOCKS (0: always a worker thread). */
function inlineSetting(): number | undefined {
  return countFromEnv("VALIDATE_DOCS_ANALYZE_INLINE");
}

function inlineLimit(): number {
  return inlineSetting() ?? INLINE_BLOCKS;
}

/** Blocks in the requests' programs: the blocks checked now and the cached ones lending them declarations. */
function blocksOf(requests: readonly AnalyzeRequest[]): number {
  return requests.reduce((n, r) => n + r.blocks.length + (r.lenders?.length ?? 0), 0);
}

/**
 * Whether an analysis is small enough for the calling thread: at most the limit's blocks in at most two programs,
 * and no native compiler to wait for. By default also only the tool's own code: the project's rule modules may take
 * any time, so they run on the worker thread unless VALIDATE_DOCS_ANALYZE_INLINE says otherwise. The analysis's
 * duration is then the compiler parsing the programs' libs and type declarations and checking those blocks: what a
 * signal may wait.
 */
export function analyzesInline(requests: readonly AnalyzeRequest[], projectRules: boolean): boolean {
  if (requests.length > INLINE_PROGRAMS || requests.some((r) => r.program.native?.compiler)) return false;
  if (projectRules && inlineSetting() === undefined) return false;
  return blocksOf(requests) <= inlineLimit();
}
