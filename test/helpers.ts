// Shared test helpers: real temp projects on disk and the real CLI in a subprocess.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect, inject } from "vitest";
import type { Page } from "../src/types.js";
import { CATALOG } from "./bench/make-corpus.mjs";
import type { ManifestRow } from "./bench/manifest.mjs";

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const BIN = path.join(REPO, "bin", "validate-docs.js");

/** The repository's seeded docs-corpus generator (the bench's corpus, and the corpus tests'). */
export const CORPUS_SCRIPT = path.join(REPO, "test", "bench", "make-corpus.mjs");

export interface CorpusOptions {
  pages: number;
  blocks?: number;
  seed?: number;
  /** Share of blocks with a deliberate mistake (a type error, a throw when run, or both). */
  errorRate?: number;
  /** Share of blocks with the banned `Tracer.init({ apiKey, instrumentors })` pattern. */
  bannedRate?: number;
  /**
   * Check with TSCONFIG's ES2022 and test globals instead of the generator's lib ES2022 + DOM: the blocks use only
   * `console` and the timers, and the DOM lib costs ≈ 0.5 s of CPU per CLI run. Off: the bench's corpus as is.
   */
  testGlobals?: boolean;
}

/**
 * The smallest corpus the tests use that holds the generator's whole catalog (8 pages × 5 blocks: every mistake, both
 * banned variants, clean blocks; `expectWholeCatalog` asserts it), checked with the test globals.
 */
export const WHOLE_CATALOG: CorpusOptions = { pages: 8, blocks: 5, seed: 2, errorRate: 0.75, bannedRate: 0.1, testGlobals: true };

/** A manifest with every mistake of the generator's catalog, both banned variants and clean blocks. */
export function expectWholeCatalog(manifest: ManifestRow[]): void {
  const mistakes = new Set(manifest.flatMap((m) => (m.mistake ? [`${m.template}:${m.mistake}`] : [])));
  expect([...mistakes].sort()).toEqual(Object.entries(CATALOG).flatMap(([t, ms]) => Object.keys(ms).map((m) => `${t}:${m}`)).sort());
  expect(new Set(manifest.filter((m) => m.banned).map((m) => m.template)).size).toBe(2);
  expect(manifest.filter((m) => !m.mistake && !m.banned).length).toBeGreaterThan(0);
}

/** Generates a corpus (test/bench/make-corpus.mjs) into `dir` and returns its manifest. */
export function makeCorpus(dir: string, o: CorpusOptions): ManifestRow[] {
  const args = ["--pages", o.pages, "--blocks", o.blocks ?? 5, "--seed", o.seed ?? 42, "--out", dir];
  if (o.errorRate !== undefined) args.push("--error-rate", o.errorRate);
  if (o.bannedRate !== undefined) args.push("--banned-rate", o.bannedRate);
  const r = spawnSync(process.execPath, [CORPUS_SCRIPT, ...args.map(String)], { encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  if (o.testGlobals) {
    const file = path.join(dir, "tsconfig.json");
    const config = readJson<{ compilerOptions: Record<string, unknown> }>(file);
    const { lib, types, typeRoots } = JSON.parse(TSCONFIG).compilerOptions as Record<string, unknown>;
    fs.writeFileSync(file, JSON.stringify({ ...config, compilerOptions: { ...config.compilerOptions, lib, types, typeRoots } }, null, 2));
  }
  return readJson<ManifestRow[]>(path.join(dir, "manifest.json"));
}

const created: string[] = [];

/**
 * A new empty temp dir (real path), removed after the test file that made it: test/setup.ts calls
 * removeTempDirs after every file (a setup file runs per file even when workers are shared between files). It is
 * made in the run's directory (test/global-setup.ts), which goes at the end of the run, or with the next run when
 * this one was killed.
 */
export function tempDir(prefix = "vd-test-"): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(inject("tempRoot") ?? os.tmpdir(), prefix)));
  created.push(dir);
  return dir;
}

/** Removes every temp dir made by tempDir/makeProject so far. */
export function removeTempDirs(): void {
  for (const dir of created.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * A value made on first use and kept: a CLI run that several tests of a file assert on (each test stays specific to
 * its page), started by whichever of them runs first, so a `-t` filter still works.
 */
export function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}

/** Creates a temp project from a map of relative path → content; returns its absolute (real) path. */
export function makeProject(files: Record<string, string | Buffer>, prefix = "vd-test-"): string {
  const dir = tempDir(prefix);
  writeFiles(dir, files);
  return dir;
}

/** A page read from disk, as discover would. */
export function readPage(root: string, rel: string): Page {
  const abs = path.join(root, rel);
  return { path: rel, abs, source: fs.readFileSync(abs, "utf8") };
}

/** True when the process exists and is not a zombie (killed children are reaped late in containers). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

export function writeFiles(dir: string, files: Record<string, string | Buffer>): void {
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI (`npm test` builds dist first) in a subprocess, as a user would. */
export function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, "--no-color", ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", ...env },
    maxBuffer: 64 * 1024 * 1024,
    // A guard against a hung CLI only (below the test timeout, so the failure names the command).
    timeout: 480_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `runCli` without blocking: for runs that must overlap (two runs sharing a directory at the same time). */
export function runCliAsync(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, "--no-color", ...args], { cwd, env: { ...process.env, NO_COLOR: "1", ...env }, stdio: ["ignore", "pipe", "pipe"], timeout: 480_000 });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

export function readJson<T = any>(file: string): T {
  return JSON.parse(fs.readFileSync(file, "utf8")) as T;
}

/** A fenced block: "```" + meta, the code (trimmed), the closing fence. */
export const fence = (meta: string, code: string): string => "```" + meta + "\n" + code.trim() + "\n```\n";

/** A page of [meta, code, output?] fences after `head`; returns its text and each code fence's opening line. */
export function fencedPage(head: string, blocks: [string, string, string?][]): { text: string; lines: number[] } {
  let text = head;
  const lines: number[] = [];
  for (const [meta, code, output] of blocks) {
    lines.push(text.split("\n").length);
    text += fence(meta, code) + "\n";
    if (output !== undefined) text += fence("output", output) + "\n";
  }
  return { text, lines };
}

/** 1-based page line of the first line containing `needle` (at or after offset `from`). */
export function lineOf(source: string, needle: string, from = 0): number {
  const at = source.indexOf(needle, from);
  if (at === -1) throw new Error(`not in page: ${needle}`);
  return source.slice(0, at).split("\n").length;
}

/** 1-based page column of `needle` on its line. */
export function columnOf(source: string, needle: string): number {
  const line = source.split("\n")[lineOf(source, needle) - 1]!;
  return line.indexOf(needle) + 1;
}

/** The report of one page in a JSON report's index. */
export function pageOf<P extends { page: string }>(index: { pages: P[] }, page: string): P {
  const found = index.pages.find((p) => p.page === page);
  if (!found) throw new Error(`no report for ${page}; pages: ${index.pages.map((p) => p.page).join(", ")}`);
  return found;
}

/** The rule ids of a page's findings, in report order. */
export function ruleIds(page: { findings: { ruleId: string }[] }): string[] {
  return page.findings.map((f) => f.ruleId);
}

/**
 * A temp copy of test/fixtures/templates (seed, seed-fixed and the @acme/tracer package they import), beside a copy
 * of test/fixtures/types as in the repository: the fixtures' tsconfigs take the test globals from `../../types`.
 */
export function templateFixtures(): string {
  const root = tempDir("vd-cli-tpl-");
  const dir = path.join(root, "templates");
  fs.cpSync(path.join(REPO, "test/fixtures/templates"), dir, { recursive: true, filter: (src) => !/[\\/](reports|\.validate-docs)$/.test(src) });
  fs.cpSync(path.join(REPO, "test/fixtures/types"), path.join(root, "types"), { recursive: true });
  return dir;
}

/** `file:line:col rule` of each grouped template finding line in the console output. */
export function groupedLines(stdout: string): string[] {
  return [...stdout.matchAll(/^ {2}(\S+):(\d+):(\d+)(?: \(partial\))? {2}\w+ {2}.* {2}(\S+)$/gm)].map((m) => `${m[1]}:${m[2]}:${m[3]} ${m[4]}`);
}

/** A CLI run that ended without an internal error or a stack trace in its output. */
export function expectNoCrash(r: { stderr: string; stdout: string }): void {
  expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  expect(r.stdout).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
}

const tsconfig = (options: Record<string, unknown>): string =>
  JSON.stringify({ compilerOptions: { target: "ES2022", module: "ESNext", moduleResolution: "Bundler", strict: true, skipLibCheck: true, ...options } });

/**
 * A tsconfig for temp projects that needs nothing from node_modules: ES2022 and the few globals the tests' blocks
 * use (console, timers; declared as lib.dom.d.ts declares them, in test/fixtures/types/vd-test-globals). Not the
 * DOM lib: parsing and binding its 2.3 MB cost ≈ 0.5 s of CPU in every CLI run.
 */
export const TSCONFIG = tsconfig({ lib: ["ES2022"], types: ["vd-test-globals"], typeRoots: [path.join(REPO, "test/fixtures/types")] });

/** TSCONFIG with the DOM lib instead, for blocks that use browser APIs (document, fetch, localStorage…). */
export const TSCONFIG_DOM = tsconfig({ lib: ["ES2022", "DOM"], types: [] });

/** `npm install --offline` in a temp project: links workspace and `file:` packages as npm does for a user (no registry). */
export function npmInstall(dir: string): void {
  const r = spawnSync("npm", ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts"], { cwd: dir, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`npm install failed in ${dir}:\n${r.stdout}\n${r.stderr}`);
}
