// Runs the run stage on a worker thread so it overlaps with type-checking on the main thread (2 cores: the checker
// on one, example processes on the other). Falls back to the main thread when the compiled worker is absent
// (e.g. when this module is loaded from TypeScript sources under a test runner).
import fs from "node:fs";
import { MessageChannel, Worker } from "node:worker_threads";
import { workerEntry } from "../util/own-files.js";
import { emergencyCleanup, receiveCleanupFrom } from "./cleanup.js";
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
  };
}
