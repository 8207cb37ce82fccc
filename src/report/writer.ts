// The one place that writes reports. Each file is written atomically (temp file + rename), and files this tool
// wrote on an earlier run that the current run did not produce (stale page reports) are removed. The manifest of
// written files makes that safe: we never delete a file we did not write.
import fs from "node:fs";
import path from "node:path";
import { UsageError } from "../errors.js";
import type { ReportFile } from "../types.js";
import { writeFileAtomic } from "../util/fs.js";

export { writeFileAtomic };

const MANIFEST = ".validate-docs-files.json";


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
