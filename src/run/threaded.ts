// Runs the run stage on a worker thread so it overlaps with type-checking on the main thread (2 cores: the checker
// on one, example processes on the other). A small run stage runs on the calling thread instead (`runsInline`): the
// thread's start and its own load of the stage's modules are most of what driving a few pages costs, and the calling
// thread is free while they run, except during a type-check on it (src/analyze/threaded.ts `analyzesInline`), which
// the caller announces (`held`): pages then start only once it is done (`release`), their runner processes and first
// page threads started before, because a page's clock (its blocks' timeouts) runs on this thread and must not stop
// (docs/performance.md, "The fixed cost of a run"). Also on the calling thread when the compiled worker is absent
// (e.g. when this module is loaded from TypeScript sources under a test runner).
import fs from "node:fs";
import { MessageChannel, Worker } from "node:worker_threads";
import { countFromEnv } from "../util/env.js";
import { workerEntry } from "../util/own-files.js";
import { emergencyCleanup, receiveCleanupFrom } from "./cleanup.js";
import type { PageToRun, RunOptions, RunOutcome } from "./index.js";

export interface RunningStage {
  outcome: Promise<RunOutcome>;
  /** Stops the stage: starts no further page, kills every page process, removes temp dirs. */
  stop(): Promise<void>;
  /** Lets the pages of a `held` stage start (the caller's work on this thread is done); otherwise nothing. */
  release(): void;
  /**
   * Settles once a stage driven from this thread has started its first pages' runners and processes (or ended):
   * the caller's work on this thread waits for it, so they start up meanwhile. At once for a stage on its thread.
   */
  started: Promise<void>;
}

/**
 * `held`: the caller is about to keep this thread busy (a type-check on it); pages driven from this thread start at
 * `release()`.
 */
export function runPagesThreaded(pages: PageToRun[], options: RunOptions, onPageDone?: () => void, held = false): RunningStage {
  const file = workerEntry("run/worker");
  const here = runsInline(pages, held) || !fs.existsSync(file);
  if ((process.env.VALIDATE_DOCS_DEBUG ?? "").split(",").includes("run")) {
    const size = `${pages.length} page(s), ${held ? `inline limit ${inlineLimit()}` : "nothing else on this thread"}`;
    process.stderr.write(`validate-docs: run: examples driven from ${here ? "the calling thread" : "a worker thread"} (${size})\n`);
  }
  if (here) return runHere(pages, options, onPageDone, held);
  // The stage's registrations of what to clean up come on a port of their own (src/run/cleanup.ts).
  const { port1, port2 } = new MessageChannel();
  const cleanup = receiveCleanupFrom(port1);
  const worker = new Worker(file, { workerData: { pages, options, cleanup: port2 }, transferList: [port2] });
  const outcome = new Promise<RunOutcome>((resolve, reject) => {
    let settled = false;
    worker.on("message", (msg: { ok: true; outcome: RunOutcome } | { ok: false; error: string } | { t: "page-done" }) => {
      if ("t" in msg) {
        onPageDone?.();
        return;
      }
      // Every registration the stage made was sent before this message: apply them all now.
      cleanup.close();
      settled = true;
      if (msg.ok) resolve(msg.outcome);
      else reject(new Error(`run stage failed: ${msg.error}`));
      void worker.terminate();
    });
    worker.once("error", (err) => {
      cleanup.close();
      settled = true;
      reject(err);
    });
    worker.once("exit", (code) => {
      cleanup.close();
      if (!settled) reject(new Error(`run stage worker exited with code ${code} before reporting`));
    });
  });
  outcome.catch(() => {}); // the caller awaits it, or stops the stage
  return {
    outcome,
    async stop() {
      await worker.terminate();
      cleanup.close();
      emergencyCleanup();
    },
    release() {},
    started: Promise.resolve(),
  };
}

/** The stage on the calling thread: its registrations of what to clean up are this thread's own (src/run/cleanup.ts). */
function runHere(pages: PageToRun[], options: RunOptions, onPageDone: (() => void) | undefined, held: boolean): RunningStage {
  const abort = new AbortController();
  let release = (): void => {};
  const gate = held ? new Promise<void>((resolve) => (release = resolve)) : undefined;
  let started = (): void => {};
  const whenStarted = new Promise<void>((resolve) => (started = resolve));
  // Loaded here only: the run stage's modules (esbuild, the pool) are loaded when a stage runs.
  const outcome = import("./index.js").then(({ runPages }) => runPages(pages, options, onPageDone, { ...(gate ? { gate } : {}), signal: abort.signal, started }));
  outcome.catch(() => {}).finally(started); // the caller awaits it, or stops the stage
  return {
    started: whenStarted,
    outcome,
    async stop() {
      abort.abort();
      release();
      // Kills what runs now; the stage then ends its pages (as stopped) and removes what it made.
      emergencyCleanup();
      await outcome.catch(() => {});
      emergencyCleanup();
    },
    release: () => release(),
  };
}

/** The most pages a `held` run stage drives from the calling thread by default. */
export const INLINE_PAGES = 4;

/** VALIDATE_DOCS_RUN_INLINE, when set to a number: the limit instead of INLINE_PAGES (0: always a worker thread). */
function inlineLimit(): number {
  return countFromEnv("VALIDATE_DOCS_RUN_INLINE") ?? INLINE_PAGES;
}

/**
 * Whether the calling thread drives the run stage: when nothing else will keep it busy (`held` false: the run
 * neither type-checks nor lints), or at most the limit's pages. A held stage's pages wait for the caller's check, so
 * more pages than that would wait longer than a thread costs to start.
 */
export function runsInline(pages: readonly PageToRun[], held: boolean): boolean {
  const limit = inlineLimit();
  return limit > 0 && (!held || pages.length <= limit);
}
