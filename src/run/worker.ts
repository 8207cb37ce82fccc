// Worker-thread entry for the run stage: the pool's parent side lives here so it keeps spawning and reading page
// processes while the main thread is busy in the (synchronous) TypeScript checker.
import { parentPort, workerData, type MessagePort } from "node:worker_threads";
import { sendCleanupTo } from "./cleanup.js";
import { runPages, type PageToRun, type RunOptions } from "./index.js";

const { pages, options, cleanup } = workerData as { pages: PageToRun[]; options: RunOptions; cleanup: MessagePort };
sendCleanupTo(cleanup);
// Each finished page is announced (the main thread draws progress from it when it is not busy checking).
runPages(pages, options, () => parentPort!.postMessage({ t: "page-done" })).then(
  (outcome) => parentPort!.postMessage({ ok: true, outcome }),
  (err: unknown) => parentPort!.postMessage({ ok: false, error: err instanceof Error ? err.stack ?? err.message : String(err) }),
);
