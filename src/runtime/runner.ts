// A long-lived runner process (the `worker` isolation of docs/running.md): started once per run-stage slot with the
// flags of a page process (the permission model; its V8 flags only when a page loads packages, src/run/pool.ts
// spawnRunner; each page thread's heap cap is its resourceLimits), it runs pages one at a time, each in a
// fresh worker thread (its own globals and module graph) executing the harness. Page messages go from the thread
// straight to fd 3 (harness.ts); this side only adds one `page-end` line per page once its thread has stopped.
//   argv: <memoryLimit MB>
//   stdin (one JSON line each): { t: "page", job, more } starts a page (`more`: another page may follow, so the next
//   page's thread is started while this one runs); { t: "stop" } terminates the running page's thread.
// Between pages it empties its working directory (the page's temp dir). The parent owns every policy, and checks
// (unsandboxed, it may read /proc) whether a page left a process behind in the runner's group.
import fs from "node:fs";
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { Job, RunnerMessage } from "../run/protocol.js";

const MESSAGE_FD = 3;
const memoryLimit = Number(process.argv[2]) || 512;
const harness = new URL("./harness.js", import.meta.url);
const dir = process.cwd();

function send(message: RunnerMessage): void {
  try {
    fs.writeSync(MESSAGE_FD, JSON.stringify(message) + "\n");
  } catch {
    process.exit(70); // the parent is gone
  }
}

function startThread(): Worker {
  // stdin: false gives the page an empty stdin, as the process harness does once it has read its job.
  const worker = new Worker(harness, { resourceLimits: { maxOldGenerationSizeMb: memoryLimit }, stdin: false });
  worker.on("error", () => {}); // handled per page below; a spare thread's error only retires it
  return worker;
}

function emptyDir(): void {
  for (const name of fs.readdirSync(dir)) fs.rmSync(path.join(dir, name), { recursive: true, force: true });
}

// The first page's thread starts at once: its job may come later (the parent holds pages while its thread is busy
// checking, src/run/threaded.ts), and a runner is started only for a page.
let spare: Worker | undefined = startThread();
let current: Worker | undefined;

function runPage(job: Job, more: boolean): void {
  const worker = spare ?? startThread();
  spare = undefined;
  current = worker;
  let error: string | undefined;
  worker.removeAllListeners("error");
  worker.on("error", (err: Error & { code?: string }) => {
    // ERR_WORKER_OUT_OF_MEMORY reads "… JS heap out of memory", which the parent recognises as an out-of-memory crash.
    error = `${err.code ? `${err.code}: ` : ""}${err.message}`;
  });
  worker.once("exit", (code) => {
    current = undefined;
    let clean = true;
    try {
      emptyDir();
    } catch {
      clean = false;
    }
    send({ t: "page-end", code, ...(error ? { error } : {}), clean });
  });
  worker.postMessage(job);
  // The next page's thread starts while this page runs (a thread's start-up is ≈ 0.3 s of CPU: not for a last page).
  if (more) spare = startThread();
}

let pending = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk: string) => {
  pending += chunk;
  let nl: number;
  while ((nl = pending.indexOf("\n")) !== -1) {
    const line = pending.slice(0, nl);
    pending = pending.slice(nl + 1);
    if (!line) continue;
    const command = JSON.parse(line) as { t: "page"; job: Job; more?: boolean } | { t: "stop" };
    if (command.t === "page") runPage(command.job, command.more !== false);
    else void current?.terminate();
  }
});
// The parent closed stdin: the run stage is over.
process.stdin.on("end", () => process.exit(0));
