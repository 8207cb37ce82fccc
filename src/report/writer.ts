// The one place that writes reports. Each file is written atomically (temp file + rename), and files this tool
// wrote on an earlier run that the current run did not produce (stale page reports) are removed. The manifest of
// written files makes that safe: we never delete a file we did not write.
import fs from "node:fs";
import path from "node:path";
import type { ReportFile } from "../types.js";
import { writeFileAtomic } from "../util/fs.js";

export { writeFileAtomic };

const MANIFEST = ".validate-docs-files.json";


/** Writes report files under `outDir`; returns the stdout parts (files without a path) in order. */
export function writeReport(outDir: string, files: ReportFile[]): { stdout: string[]; written: string[] } {
  const stdout: string[] = [];
  const written: string[] = [];
  for (const f of files) {
    if (f.path === undefined) {
      stdout.push(f.content);
      continue;
    }
    const rel = path.posix.normalize(f.path);
    if (rel.startsWith("../") || path.isAbsolute(rel)) throw new Error(`report path escapes the report dir: ${f.path}`);
    writeFileAtomic(path.join(outDir, rel), f.content);
    written.push(rel);
  }
  if (written.length) {
    const manifestFile = path.join(outDir, MANIFEST);
    let previous: string[] = [];
    try {
      previous = JSON.parse(fs.readFileSync(manifestFile, "utf8")) as string[];
    } catch {
      previous = [];
    }
    const now = new Set(written);
    for (const old of previous) {
      if (typeof old !== "string" || now.has(old) || old.startsWith("..")) continue;
      fs.rmSync(path.join(outDir, old), { force: true });
      removeEmptyDirs(outDir, path.dirname(path.join(outDir, old)));
    }
    writeFileAtomic(manifestFile, JSON.stringify([...now].sort(), null, 2) + "\n");
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
