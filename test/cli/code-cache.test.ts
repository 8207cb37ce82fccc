// V8's code cache for the compiler (src/util/code-cache.cts): first the module in fresh processes (what each load
// found, the file it keeps, damaged and rejected files, a directory it must not use), then the real CLI in a
// subprocess: the cache written by the first runs (two at once), taken by the next, replaced when damaged, a run
// without a usable directory, and the same findings with and without it. No timing is asserted (npm run bench).
// The module's cases run on a small CommonJS module, each load a fresh process: the cache treats every file alike
// (keyed by path, size and mtime; V8 accepts or rejects the data), and compiling the 9 MB compiler afresh costs a
// process ≈ 0.5 s of CPU. The real compiler is loaded by every CLI run: written (with its file modes) by the first
// runs, taken by the next, for the main thread and the analysis worker alike.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { expect, it } from "vitest";
import { type CliResult, REPO, TSCONFIG, fence, makeProject, readJson, runCli, runCliAsync, tempDir } from "../helpers.js";

const CACHE_MODULE = path.join(REPO, "dist/src/util/code-cache.cjs");

/**
 * Loads the CommonJS module at `file` through the code cache in a fresh process; what the cache did, and what the
 * module computes (`use("…")` of the small module, smallModule).
 */
function load(file: string, env: NodeJS.ProcessEnv): { found: string; compiled: string } {
  const script = `
    const cache = require(${JSON.stringify(CACHE_MODULE)});
    const found = cache.preload(${JSON.stringify(file)});
    const mod = require(${JSON.stringify(file)});
    const compiled = mod.use("const x = 1;");
    cache.saveCodeCache();
    process.stdout.write(JSON.stringify({ found, compiled }));`;
  const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", env: { ...process.env, VALIDATE_DOCS_DEBUG: "", ...env } });
  expect(r.stderr).toBe("");
  return JSON.parse(r.stdout) as { found: string; compiled: string };
}

/** A small ASCII CommonJS module laid out as a package's lib file (as typescript/lib/typescript.js is), in a temp project. */
function smallModule(): string {
  const functions = Array.from({ length: 40 }, (_, i) => `function step${i}(s) {\n  return s.length % ${i + 2} === 0 ? s + "${i}" : s;\n}`);
  const dir = makeProject({
    "node_modules/small/package.json": JSON.stringify({ name: "small", main: "lib/small.js" }),
    "node_modules/small/lib/small.js": [
      '"use strict";',
      ...functions,
      `const steps = [${functions.map((_, i) => `step${i}`).join(", ")}];`,
      "exports.use = (text) => steps.reduce((s, step) => step(s), text.split(\"\").reverse().join(\"\"));",
      "",
    ].join("\n"),
  });
  return path.join(dir, "node_modules/small/lib/small.js");
}

/** What the small module computes when loaded by `require` in this process. */
const requireSmall = (file: string): string => (createRequire(file)(file) as { use(text: string): string }).use("const x = 1;");

it("replaces a damaged or rejected cache file, keys a changed file anew, and reads or writes nothing when off", () => {
  const file = smallModule();
  const cacheDir = path.join(path.dirname(file), "cache");
  const env = { VALIDATE_DOCS_CODE_CACHE_DIR: cacheDir };
  const entries = () => (fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir).sort() : []);
  const first = load(file, env);
  expect(first.found).toBe("miss");
  expect(first.compiled).toBe(requireSmall(file));
  expect(entries()).toEqual([expect.stringMatching(/^small-main-[0-9a-f]{24}\.v8$/)]);
  const [entry] = entries();
  expect(load(file, env)).toEqual({ found: "hit", compiled: first.compiled });
  const store = path.join(cacheDir, entry!);
  const good = fs.readFileSync(store);
  // Damaged data (same length, other bytes, the checksum no longer holds): the module still loads and works, and
  // the file is replaced.
  fs.writeFileSync(store, Buffer.alloc(good.length, 7));
  expect(load(file, env)).toEqual({ found: "rejected", compiled: first.compiled });
  expect(fs.readFileSync(store).equals(Buffer.alloc(good.length, 7))).toBe(false);
  expect(load(file, env).found).toBe("hit");
  // Data that passes the checksum but that V8 refuses (not a code cache at all): compiled afresh, replaced.
  const foreign = Buffer.from("not V8's code cache, but a well-formed file of ours");
  fs.writeFileSync(store, Buffer.concat([foreign, createHash("sha1").update(foreign).digest()]));
  expect(load(file, env)).toEqual({ found: "rejected", compiled: first.compiled });
  expect(load(file, env).found).toBe("hit");
  // A changed file is another key.
  fs.appendFileSync(file, "\n");
  expect(load(file, env).found).toBe("miss");
  expect(entries()).toHaveLength(2);
  expect(entries()).toContain(entry);
  // Off when asked: nothing read or written.
  fs.rmSync(cacheDir, { recursive: true });
  expect(load(file, { ...env, VALIDATE_DOCS_CODE_CACHE: "0" })).toEqual({ found: "off", compiled: first.compiled });
  expect(fs.existsSync(cacheDir)).toBe(false);
});

it("loads a module whose text is not ASCII as require does (the compiler's ASCII text is read as Latin-1)", () => {
  const dir = makeProject({ "node_modules/words/index.js": 'module.exports = { text: "naïve café ✓ 𝒳", length: "naïve café ✓ 𝒳".length };\n' });
  const file = path.join(dir, "node_modules/words/index.js");
  const script = `
    const cache = require(${JSON.stringify(CACHE_MODULE)});
    const found = cache.preload(${JSON.stringify(file)});
    process.stdout.write(JSON.stringify({ found, words: require(${JSON.stringify(file)}) }));`;
  const env = { ...process.env, VALIDATE_DOCS_DEBUG: "", VALIDATE_DOCS_CODE_CACHE_DIR: path.join(dir, "cache") };
  // Compiled from the text, then from the cache written at the first exit: the same module either way.
  for (const found of ["miss", "hit"]) {
    const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", env });
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual({ found, words: { text: "naïve café ✓ 𝒳", length: 15 } });
  }
});

it("uses no cache dir that others can write to or that cannot be made, and the module still loads", () => {
  const file = smallModule();
  const dir = tempDir();
  if (process.platform !== "win32") {
    const open = path.join(dir, "open");
    fs.mkdirSync(open, { mode: 0o777 });
    fs.chmodSync(open, 0o777);
    expect(load(file, { VALIDATE_DOCS_CODE_CACHE_DIR: open }).found).toBe("off");
    expect(fs.readdirSync(open)).toEqual([]);
  }
  // A path under a regular file: mkdir fails (ENOTDIR), for root too.
  fs.writeFileSync(path.join(dir, "file"), "");
  expect(load(file, { VALIDATE_DOCS_CODE_CACHE_DIR: path.join(dir, "file", "cache") })).toEqual({ found: "off", compiled: requireSmall(file) });
});

/** What a code cache line of VALIDATE_DOCS_DEBUG=code-cache says for each thread role, and the files written. */
function cacheLines(stderr: string): { found: Record<string, string>; wrote: number } {
  const found: Record<string, string> = {};
  let wrote = 0;
  for (const line of stderr.split("\n")) {
    const m = /^validate-docs: code cache: .*typescript\.js \((main|worker)\): (\w+)/.exec(line);
    if (m) found[m[1]!] = m[2]!;
    if (/^validate-docs: code cache: wrote /.test(line)) wrote++;
  }
  return { found, wrote };
}

it("the CLI runs without a usable cache dir, writes the cache on its first runs (two at once), takes it on the next, replaces a damaged one; findings never change", async () => {
  const page = [
    "# Page\n\n",
    fence("ts", 'const n: number = "one";\nconsole.log(n);'),
    "\n",
    fence("ts", "export function twice(x: number) {\n  return x * 2;\n}\nconsole.log(twice(2));"),
  ].join("");
  const dir = makeProject({
    "package.json": JSON.stringify({ name: "docs", type: "module" }),
    "tsconfig.json": TSCONFIG,
    "docs/a.md": page,
  });
  const cacheDir = path.join(tempDir(), "code-cache");
  const cli = (name: string, env: NodeJS.ProcessEnv) => ({
    args: ["--no-cache", "--no-run", "--reporter", "console", "--reporter", `json=${path.join(dir, "out", name)}`, "docs"],
    // The analysis on its worker thread, whose cache role this test follows (a run this small checks on the main thread).
    env: { VALIDATE_DOCS_DEBUG: "code-cache", VALIDATE_DOCS_CODE_CACHE_DIR: cacheDir, VALIDATE_DOCS_ANALYZE_INLINE: "0", ...env },
  });
  const outcome = (name: string, r: CliResult) => {
    expect(r.stdout).toContain("ts2322");
    expect(r.code).toBe(1);
    const index = readJson<{ pages: unknown[]; summary: unknown }>(path.join(dir, "out", name, "index.json"));
    return { ...cacheLines(r.stderr), stderr: r.stderr, results: { pages: index.pages, summary: index.summary } };
  };
  const run = (name: string, env: NodeJS.ProcessEnv) => {
    const { args, env: vars } = cli(name, env);
    return outcome(name, runCli(args, dir, vars));
  };
  // A cache dir that cannot be made (under a regular file): the run without a cache, whose results every other run
  // must give. (VALIDATE_DOCS_CODE_CACHE=0 is the same `off` in src/util/code-cache.cts's cacheDir: the module test.)
  const blocked = path.join(tempDir(), "file");
  fs.writeFileSync(blocked, "");
  const none = run("none", { VALIDATE_DOCS_CODE_CACHE_DIR: path.join(blocked, "cache") });
  expect(none.found).toEqual({ main: "off", worker: "off" });
  expect(none.wrote).toBe(0);

  // Two runs at once into an empty cache dir: each finds no file or the other's whole file (never a torn one).
  const [a, b] = await Promise.all(["first-a", "first-b"].map((name) => runCliAsync(cli(name, {}).args, dir, cli(name, {}).env)));
  const first = [outcome("first-a", a!), outcome("first-b", b!)];
  for (const r of first) {
    for (const role of ["main", "worker"]) expect(["miss", "hit"]).toContain(r.found[role]);
    expect(r.stderr).not.toMatch(/not written|rejected/);
  }
  // Written when missing: the first load of each role in either process found no file.
  for (const role of ["main", "worker"]) expect(first.map((r) => r.found[role])).toContain("miss");
  expect(first.some((r) => r.wrote > 0)).toBe(true);
  const files = fs.readdirSync(cacheDir).sort();
  expect(files).toEqual([expect.stringMatching(/^typescript-main-[0-9a-f]{24}\.v8$/), expect.stringMatching(/^typescript-worker-[0-9a-f]{24}\.v8$/)]);
  // Only this user may write the directory and read the files (V8 trusts what it deserializes).
  if (process.platform !== "win32") {
    expect(fs.statSync(cacheDir).mode & 0o777).toBe(0o700);
    for (const f of files) expect(fs.statSync(path.join(cacheDir, f)).mode & 0o777).toBe(0o600);
  }

  const second = run("second", {});
  expect(second.found).toEqual({ main: "hit", worker: "hit" });
  expect(second.wrote).toBe(0);

  for (const f of files) fs.writeFileSync(path.join(cacheDir, f), "damaged");
  const damaged = run("damaged", {});
  expect(damaged.found).toEqual({ main: "rejected", worker: "rejected" });
  expect(damaged.wrote).toBe(2);
  for (const f of files) expect(fs.statSync(path.join(cacheDir, f)).size).toBeGreaterThan(100_000);
  // That a replaced file is taken by the next load: the module test (the same saveCodeCache wrote `second`'s hits).

  for (const r of [...first, second, damaged]) expect(r.results).toEqual(none.results);
});
