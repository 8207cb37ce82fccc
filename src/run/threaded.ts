// Runs the run stage on a worker thread so it overlaps with type-checking on the main thread (2 cores: the checker
// on one, example processes on the other). Falls back to the main thread when the compiled worker is absent
// (e.g. when this module is loaded from TypeScript sources under a test runner).
import fs from "node:fs";
import { Worker } from "node:worker_threads";
import { workerEntry } from "../util/own-files.js";
import { applyCleanupMessage, emergencyCleanup, type CleanupMessage } from "./cleanup.js";
import type { PageToRun, RunOptions, RunOutcome } from "./index.js";

export interface RunningStage {
  outcome: Promise<RunOutcome>;
  /** Stops the stage: ends the worker, kills every page process, removes temp dirs. */
  stop(): Promise<void>;
}

export function runPagesThreaded(pages: PageToRun[], options: RunOptions, onPageDone?: () => void): RunningStage {
  const file = workerEntry("run/worker");
  if (!fs.existsSync(file)) {
    // Loaded here only: the run stage's modules (esbuild, the pool) belong to its thread.
    const outcome = import("./index.js").then(({ runPages }) => runPages(pages, options, onPageDone));
    outcome.catch(() => {}); // the caller awaits it, or stops the stage
    return { outcome, stop: async () => emergencyCleanup() };
  }
  const worker = new Worker(file, { workerData: { pages, options } });
  const outcome = new Promise<RunOutcome>((resolve, reject) => {
    let settled = false;
    worker.on("message", (msg: { ok: true; outcome: RunOutcome } | { ok: false; error: string } | CleanupMessage | { t: "page-done" }) => {
      if ("t" in msg && msg.t === "page-done") {
        onPageDone?.();
        return;
      }
      if ("t" in msg) {
        applyCleanupMessage(msg);
        return;
      }
      settled = true;
      if (msg.ok) resolve(msg.outcome);
      else reject(new Error(`run stage failed: ${msg.error}`));
      void worker.terminate();
    });
    worker.once("error", (err) => {
      settled = true;
      reject(err);
    });
    worker.once("exit", (code) => {
      if (!settled) reject(new Error(`run stage worker exited with code ${code} before reporting`));
    });
  });
  outcome.catch(() => {}); // the caller awaits it, or stops the stage
  return {
    outcome,
    async stop() {
      await worker.terminate();
      emergencyCleanup();
    },
  };
}
