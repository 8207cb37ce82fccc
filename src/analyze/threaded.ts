// Runs type-check + lint on a worker thread so the main thread never blocks in the checker: a signal is answered
// within moments at any point of a run (docs/running.md, "Interrupts"). Falls back to the main thread when the
// compiled worker is absent (sources under a test runner) or when rule modules exist only as objects in memory.
import fs from "node:fs";
import { Worker } from "node:worker_threads";
import { workerEntry } from "../util/own-files.js";
import type { AnalyzeOptions, AnalyzeOutcome, AnalyzeRequest } from "./index.js";

/** Where the worker gets rule modules: paths (relative to the root), or the config file that defines them. */
export type PluginSource = { paths: Record<string, string>; configFile?: undefined } | { configFile: string; paths?: undefined };

export interface Analyzing {
  outcome: Promise<AnalyzeOutcome>;
  stop(): Promise<void>;
}

/**
 * `plugins` are the loaded rule modules (used on the main thread); `configFile` is where object plugins come from.
 */
export function analyzeThreaded(
  requests: AnalyzeRequest[],
  options: AnalyzeOptions,
  plugins: { refs: Readonly<Record<string, unknown>>; loaded: Readonly<Record<string, unknown>>; configFile?: string },
): Analyzing {
  const file = workerEntry("analyze/worker");
  const refs = Object.entries(plugins.refs);
  const source: PluginSource | undefined = refs.every(([, v]) => typeof v === "string")
    ? { paths: Object.fromEntries(refs) as Record<string, string> }
    : plugins.configFile
      ? { configFile: plugins.configFile }
      : undefined;
  if (!fs.existsSync(file) || !source) {
    // Synchronous on this thread (a signal waits until it is done); still a promise for the caller.
    // The stage's modules (the checker's programs, the rules) are loaded here only: they belong to the worker.
    const outcome = import("./index.js").then(({ analyze }) => analyze(requests, options, plugins.loaded));
    return { outcome, stop: async () => {} };
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
  };
}
