// The one place that writes reports. Each file is written atomically (temp file + rename), and files this tool
// wrote on an earlier run that the current run did not produce (stale page reports) are removed. The manifest of
// written files makes that safe: we never delete a file we did not write.
import fs from "node:fs";
import path from "node:path";
import { UsageError } from "../errors.js";
import type { ReportFile } from "../types.js";
import { processExists, writeFileAtomic } from "../util/fs.js";

export { writeFileAtomic };

const MANIFEST = ".validate-docs-files.json";
const LOCK = ".validate-docs-lock";


/** The files (relative to `outDir`) an earlier run wrote there, from its manifest; empty when there is none. */
export function readManifest(outDir: string): Set<string> {
  try {
    const list = JSON.parse(fs.readFileSync(path.join(outDir, MANIFEST), "utf8")) as unknown;
    return new Set(Array.isArray(list) ? list.filter((x): x is string => typeof x === "string" && !x.startsWith("..")) : []);
  } catch {
    return new Set();
  }
}

/**
 * Writes report files under `outDir`; returns the stdout parts (files without a path) in order. A file that exists
 * and that no earlier run wrote (it is not in the manifest) is never overwritten: the whole write is refused before
 * anything is written. Files an earlier run wrote that this one did not are removed (stale page reports), unless the
 * run is `partial` (some pages only).
 */
export function writeReport(outDir: string, files: ReportFile[], opts: { partial?: boolean } = {}): { stdout: string[]; written: string[] } {
  // Concurrent runs into one dir take turns (see withDirLock); the last one's report set is what stays.
  if (files.some((f) => f.path !== undefined)) return withDirLock(outDir, () => writeReportUnlocked(outDir, files, opts));
  return writeReportUnlocked(outDir, files, opts);
}

function writeReportUnlocked(outDir: string, files: ReportFile[], opts: { partial?: boolean }): { stdout: string[]; written: string[] } {
  const stdout: string[] = [];
  const targets: { rel: string; content: string }[] = [];
  for (const f of files) {
    if (f.path === undefined) {
      stdout.push(f.content);
      continue;
    }
    const rel = path.posix.normalize(f.path);
    if (rel.startsWith("../") || path.isAbsolute(rel)) throw new Error(`report path escapes the report dir: ${f.path}`);
    targets.push({ rel, content: f.content });
  }
  const previous = readManifest(outDir);
  const foreign = targets.filter((t) => !previous.has(t.rel) && fs.existsSync(path.join(outDir, t.rel))).map((t) => path.join(outDir, t.rel));
  if (foreign.length) {
    const shown = foreign.slice(0, 3).map((f) => path.relative(process.cwd(), f) || f);
    throw new UsageError(
      `refusing to write reports: ${shown.join(", ")}${foreign.length > 3 ? ` and ${foreign.length - 3} more` : ""} already exist${foreign.length === 1 ? "s" : ""} and validate-docs did not write ${foreign.length === 1 ? "it" : "them"}`,
      "pass --out with a directory of its own (default: reports), or move those files away",
    );
  }
  const written: string[] = [];
  for (const t of targets) {
    writeFileAtomic(path.join(outDir, t.rel), t.content);
    written.push(t.rel);
  }
  if (written.length) {
    const now = new Set(written);
    for (const old of previous) {
      if (now.has(old)) continue;
      // A run over some pages (`validate-docs docs/a.md`, `--changed`) keeps the other pages' reports.
      if (opts.partial) {
        if (fs.existsSync(path.join(outDir, old))) now.add(old);
        continue;
      }
      fs.rmSync(path.join(outDir, old), { force: true });
      removeEmptyDirs(outDir, path.dirname(path.join(outDir, old)));
    }
    writeFileAtomic(path.join(outDir, MANIFEST), JSON.stringify([...now].sort(), null, 2) + "\n");
  }
  return { stdout, written };
}

function removeEmptyDirs(outDir: string, dir: string): void {
  let d = dir;
  while (d.startsWith(outDir) && d !== outDir) {
    try {
      fs.rmdirSync(d);
    } catch {
      return;
    }
    d = path.dirname(d);
  }
}

/** One reporter's rendered files and where they go: undefined = the report dir, `-` = stdout, else an absolute path. */
export interface ReporterOutput {
  id: string;
  files: ReportFile[];
  target?: string;
}

/** Reporters whose PATH is a directory (they write a file set); the others write one file. */
const DIR_REPORTERS = new Set(["json", "markdown"]);

/**
 * Writes every reporter's files where they belong and returns what goes to stdout, in reporter order. Files for the
 * report dir share one manifest (stale-file cleanup); a reporter given a directory gets its own.
 */
export function deliverReports(
  outDir: string,
  outputs: ReporterOutput[],
  options: { stepSummary?: string; partial?: boolean } = {},
): { stdout: { id: string; text: string }[]; written: string[] } {
  const stdout: { id: string; text: string }[] = [];
  const toOutDir: ReportFile[] = [];
  for (const { id, files, target } of outputs) {
    const summary = files.filter((f) => f.destination === "step-summary");
    const rest = files.filter((f) => f.destination === undefined);
    // The job summary is GitHub's file, shared by every step: appended to, never replaced.
    if (options.stepSummary) for (const f of summary) fs.appendFileSync(options.stepSummary, f.content);
    const text = rest.filter((f) => f.path === undefined).map((f) => f.content);
    const withPath = rest.filter((f) => f.path !== undefined);
    if (target === undefined) {
      stdout.push(...text.map((t) => ({ id, text: t })));
      toOutDir.push(...withPath);
    } else if (target === "-") {
      // The reporter's main document alone: the whole result for json, like `eslint -f json`.
      const main = text.length ? text.join("") : (withPath.find((f) => f.path === "index.json" || f.path === "index.md") ?? withPath[0])?.content;
      if (main !== undefined) stdout.push({ id, text: main });
    } else if (withPath.length === 0) {
      writeFileAtomic(target, text.join(""));
    } else if (DIR_REPORTERS.has(id)) {
      writeReport(target, withPath);
    } else {
      if (withPath.length !== 1) throw new Error(`reporter ${id} produced ${withPath.length} files for one path`);
      writeFileAtomic(target, withPath[0]!.content);
    }
  }
  const { written } = writeReport(outDir, toOutDir, { partial: options.partial });
  return { stdout, written };
}

/**
 * Runs `fn` while holding `dir`'s lock (a `.validate-docs-lock` directory in it, made with an atomic mkdir), so two
 * runs writing one report dir take turns: each reads the other's manifest whole instead of finding its files written
 * and its manifest not yet. A lock whose owner process is gone (killed mid-write) is taken over. Waits at most
 * `timeoutMs`, then fails with the owner's pid. When `dir` cannot be made (a file is in the way), `fn` runs unlocked
 * and meets the same error itself, with its own message.
 */
export function withDirLock<T>(dir: string, fn: () => T, timeoutMs = 60_000): T {
  const lock = path.join(dir, LOCK);
  try {
    fs.mkdirSync(dir, { recursive: true });
  } catch {
    return fn();
  }
  const deadline = Date.now() + timeoutMs;
  const nap = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    let owner = NaN;
    try {
      owner = Number(fs.readFileSync(path.join(lock, "pid"), "utf8"));
    } catch {
      // The owner made the directory and has not written its pid yet, or just released the lock.
    }
    if (Number.isInteger(owner) && owner > 0 && !processExists(owner)) {
      fs.rmSync(lock, { recursive: true, force: true });
      continue;
    }
    if (Date.now() > deadline) {
      const shown = path.relative(process.cwd(), lock) || lock;
      throw new UsageError(
        `cannot write the reports: ${shown} has been held by process ${Number.isNaN(owner) ? "(unknown)" : owner} for more than ${timeoutMs / 1000} s (another validate-docs run writing to the same directory)`,
        `wait for that run to end, pass --out with a directory of its own, or remove ${shown} if no validate-docs is running`,
      );
    }
    Atomics.wait(nap, 0, 0, 20);
  }
  try {
    fs.writeFileSync(path.join(lock, "pid"), String(process.pid));
    return fn();
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}
