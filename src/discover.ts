// Finds the pages to check: globs under the root, minus node_modules, the report dir and .gitignore'd paths.
// Reading is here too, so a binary or unreadable file becomes a finding on that page instead of a crash.
import fs from "node:fs";
import path from "node:path";
import ignore from "ignore";
import { glob, isDynamicPattern } from "tinyglobby";
import { UsageError } from "./errors.js";
import { readManifest } from "./report/writer.js";
import type { Finding, Page } from "./types.js";
import { escapeGlob, toPosix } from "./util/paths.js";

export interface DiscoverOptions {
  root: string;
  /** Globs or paths (relative to cwd when given on the command line, else to root). */
  include: string[];
  exclude: string[];
  out: string;
  /** Base for relative positional paths (cwd); defaults to root. */
  base?: string;
  /** Positional paths given explicitly: a path that matches nothing is an error. */
  explicit?: boolean;
}

export interface Discovered {
  pages: Page[];
  /** Page-level problems (binary, unreadable); the page is still reported. */
  findings: Finding[];
}

export async function discover(opts: DiscoverOptions): Promise<Discovered> {
  const root = opts.root;
  const base = opts.base ?? root;
  const patterns: string[] = [];
  const missing: string[] = [];
  for (const p of opts.include) {
    const abs = path.resolve(base, p);
    const fromRoot = path.relative(root, abs);
    if (fromRoot.startsWith("..") || path.isAbsolute(fromRoot)) {
      throw new UsageError(`${p} is outside the root (${root})`, "pass --root with a directory that contains the pages");
    }
    if (!isDynamicPattern(p) && fs.existsSync(abs) && fs.statSync(abs).isDirectory()) {
      patterns.push(toPosix(path.relative(root, abs) || ".") + "/**/*.{md,mdx,markdown}");
    } else if (!isDynamicPattern(p)) {
      if (fs.existsSync(abs)) patterns.push(escapeGlob(toPosix(path.relative(root, abs))));
      else missing.push(p);
    } else {
      patterns.push(toPosix(path.relative(root, path.resolve(base, p))));
    }
  }
  if (opts.explicit && missing.length) {
    throw new UsageError(`no such file: ${missing.join(", ")}`, "check the paths given on the command line");
  }
  const ignores = ["**/node_modules/**", "**/.git/**", ...opts.exclude];
  const files = patterns.length
    ? await glob(patterns, { cwd: root, ignore: ignores, dot: false, onlyFiles: true, followSymbolicLinks: false })
    : [];
  const ig = gitignoreFilter(root);
  const selected = withoutReports([...new Set(files.map(toPosix))].filter((f) => !ig(f)), root, opts.out).sort();
  if (opts.explicit && selected.length === 0) {
    throw new UsageError(`no pages matched: ${opts.include.join(" ")}`, "pass Markdown/MDX files, directories or globs");
  }

  const pages: Page[] = [];
  const findings: Finding[] = [];
  for (const rel of selected) {
    const abs = path.join(root, rel);
    const page: Page = { path: rel, abs, source: "" };
    pages.push(page);
    let buf: Buffer;
    try {
      buf = fs.readFileSync(abs);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "ENOENT" && rel.includes("\uFFFD")) {
        // The glob library decodes names as UTF-8; a name that is not (latin-1 `café.md`) comes back with U+FFFD in
        // it and names no file. Links, URLs and most site generators cannot address such a page either.
        findings.push(pageFinding(rel, "extract/unreadable", `the file name of ${rel} is not valid UTF-8 (shown with U+FFFD); it was not checked`, "rename the file with a UTF-8 name (e.g. `convmv -f latin1 -t utf8`), or exclude it with `exclude`"));
      } else {
        findings.push(pageFinding(rel, "extract/unreadable", `cannot read ${rel}: ${code ?? (err as Error).message}`, "check the file's permissions, or exclude it with `exclude`"));
      }
      continue;
    }
    if (isBinary(buf)) {
      findings.push(pageFinding(rel, "extract/binary-file", `${rel} is not text (it contains NUL bytes); it was not checked`, "rename it or exclude it with `exclude` in the config"));
      continue;
    }
    page.source = buf.toString("utf8");
  }
  return { pages, findings };
}

/**
 * Report files an earlier run wrote (its manifest lists them) are not pages. Any other page inside the report
 * directory means the directory overlaps the docs: reports would overwrite or hide them, so the run is refused.
 */
function withoutReports(files: string[], root: string, out: string): string[] {
  const outRel = toPosix(path.relative(root, out));
  if (outRel.startsWith("../") || outRel === ".." || path.isAbsolute(outRel)) return files;
  const prefix = outRel === "" ? "" : `${outRel}/`;
  const ours = readManifest(out);
  const inside = files.filter((f) => f.startsWith(prefix));
  const pages = inside.filter((f) => !ours.has(f.slice(prefix.length)));
  if (pages.length) {
    throw new UsageError(
      `the report directory ${outRel || "."} holds pages being checked (${pages.slice(0, 3).join(", ")}${pages.length > 3 ? `, … ${pages.length} in all` : ""}); reports there would overwrite them or hide them from the check`,
      "pass --out with a directory outside the documentation (default: reports)",
    );
  }
  return files.filter((f) => !f.startsWith(prefix));
}

/** The file is binary when its first 8 KiB hold a NUL byte (git's heuristic). */
export function isBinary(buf: Buffer): boolean {
  return buf.subarray(0, 8192).includes(0);
}


function pageFinding(page: string, ruleId: string, message: string, hint: string): Finding {
  const at = { line: 1, column: 1, offset: 0 };
  return { stage: "extract", ruleId, severity: "error", message, hint, page, place: { start: at, end: at } };
}

/** Applies the root's .gitignore (nested .gitignore files are rare in docs trees; root only, documented). */
function gitignoreFilter(root: string): (rel: string) => boolean {
  const file = path.join(root, ".gitignore");
  if (!fs.existsSync(file)) return () => false;
  const ig = ignore().add(fs.readFileSync(file, "utf8"));
  return (rel) => ig.ignores(rel);
}
