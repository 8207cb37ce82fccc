// V8's code cache for the compiler (src/util/code-cache.cts): first the module on a copy of the real compiler in a
// temp dir (what each load found, the file it keeps, damaged and rejected files, a directory it must not use), then
// the real CLI in a subprocess: the cache written by the first runs (two at once), taken by the next, replaced when damaged, a run
// without a usable directory, and the same findings with and without it. No timing is asserted (npm run bench).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { type CliResult, REPO, TSCONFIG, fence, makeProject, readJson, runCli, runCliAsync, tempDir } from "../helpers.js";

const CACHE_MODULE = path.join(REPO, "dist/src/util/code-cache.cjs");

/** Loads the compiler copy at `file` through the code cache in a fresh process; what the cache did, and a compile. */
function loadCompiler(file: string, env: NodeJS.ProcessEnv): { found: string; compiled: string } {
  const script = `
    const cache = require(${JSON.stringify(CACHE_MODULE)});
    const found = cache.preload(${JSON.stringify(file)});
    const ts = require(${JSON.stringify(file)});
    const compiled = ts.transpileModule("const x: number = 1; export default x;", { compilerOptions: { module: ts.ModuleKind.CommonJS } }).outputText;
    cache.saveCodeCache();
    process.stdout.write(JSON.stringify({ found, compiled }));`;
  const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", env: { ...process.env, VALIDATE_DOCS_DEBUG: "", ...env } });
  expect(r.stderr).toBe("");
  return JSON.parse(r.stdout) as { found: string; compiled: string };
}

it("keeps V8's compiled code for the compiler in the cache dir: written when missing, taken next time, replaced when damaged or rejected", () => {
  const dir = makeProject({
    "node_modules/typescript/package.json": fs.readFileSync(path.join(REPO, "node_modules/typescript/package.json"), "utf8"),
    "node_modules/typescript/lib/typescript.js": fs.readFileSync(path.join(REPO, "node_modules/typescript/lib/typescript.js"), "utf8"),
  });
  const file = path.join(dir, "node_modules/typescript/lib/typescript.js");
  const cacheDir = path.join(dir, "cache");
  const env = { VALIDATE_DOCS_CODE_CACHE_DIR: cacheDir };
  const entries = () => (fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir).sort() : []);
  const first = loadCompiler(file, env);
  expect(first.found).toBe("miss");
  expect(first.compiled).toMatch(/exports\.default = x/);
  expect(entries()).toHaveLength(1);
  const [entry] = entries();
  expect(entry).toMatch(/^typescript-main-[0-9a-f]{24}\.v8$/);
  // Only this user may write the directory and read the file (V8 trusts what it deserializes).
  if (process.platform !== "win32") {
    expect(fs.statSync(cacheDir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(cacheDir, entry!)).mode & 0o777).toBe(0o600);
  }
  // Taken: preload says "hit" only when V8 accepted the data (script.cachedDataRejected === false).
  expect(loadCompiler(file, env)).toEqual({ found: "hit", compiled: first.compiled });
  const store = path.join(cacheDir, entry!);
  const good = fs.readFileSync(store);
  // Damaged data (same length, other bytes, the checksum no longer holds): the compiler still loads and works, and
  // the file is replaced.
  fs.writeFileSync(store, Buffer.alloc(good.length, 7));
  expect(loadCompiler(file, env)).toEqual({ found: "rejected", compiled: first.compiled });
  expect(fs.readFileSync(store).equals(Buffer.alloc(good.length, 7))).toBe(false);
  expect(loadCompiler(file, env).found).toBe("hit");
  // Data that passes the checksum but that V8 refuses (not a code cache at all): compiled afresh, replaced.
  const foreign = Buffer.from("not V8's code cache, but a well-formed file of ours");
  fs.writeFileSync(store, Buffer.concat([foreign, createHash("sha1").update(foreign).digest()]));
  expect(loadCompiler(file, env)).toEqual({ found: "rejected", compiled: first.compiled });
  expect(loadCompiler(file, env).found).toBe("hit");
  // A changed compiler file is another key.
  fs.appendFileSync(file, "\n");
  expect(loadCompiler(file, env).found).toBe("miss");
  expect(entries()).toHaveLength(2);
  expect(entries()).toContain(entry);
  // Off when asked: nothing read or written.
  fs.rmSync(cacheDir, { recursive: true });
  expect(loadCompiler(file, { ...env, VALIDATE_DOCS_CODE_CACHE: "0" })).toEqual({ found: "off", compiled: first.compiled });
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

it("uses no cache dir that others can write to or that cannot be made, and the compiler still loads", () => {
  const dir = tempDir();
  const file = path.join(REPO, "node_modules/typescript/lib/typescript.js");
  if (process.platform !== "win32") {
    const open = path.join(dir, "open");
    fs.mkdirSync(open, { mode: 0o777 });
    fs.chmodSync(open, 0o777);
    expect(loadCompiler(file, { VALIDATE_DOCS_CODE_CACHE_DIR: open }).found).toBe("off");
    expect(fs.readdirSync(open)).toEqual([]);
  }
  // A path under a regular file: mkdir fails (ENOTDIR), for root too.
  fs.writeFileSync(path.join(dir, "file"), "");
  const r = loadCompiler(file, { VALIDATE_DOCS_CODE_CACHE_DIR: path.join(dir, "file", "cache") });
  expect(r.found).toBe("off");
  expect(r.compiled).toMatch(/exports\.default = x/);
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

it("the CLI writes the cache on its first runs (two at once), takes it on the next, replaces a damaged one, runs without one; findings never change", async () => {
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
  const off = run("off", { VALIDATE_DOCS_CODE_CACHE: "0" });
  expect(off.found).toEqual({});
  expect(fs.existsSync(cacheDir)).toBe(false);

  // Two runs at once into an empty cache dir: each finds no file or the other's whole file (never a torn one).
  const [a, b] = await Promise.all(["first-a", "first-b"].map((name) => runCliAsync(cli(name, {}).args, dir, cli(name, {}).env)));
  const first = [outcome("first-a", a!), outcome("first-b", b!)];
  for (const r of first) {
    for (const role of ["main", "worker"]) expect(["miss", "hit"]).toContain(r.found[role]);
    expect(r.stderr).not.toMatch(/not written|rejected/);
  }
  expect(first.some((r) => r.wrote > 0)).toBe(true);
  const files = fs.readdirSync(cacheDir).sort();
  expect(files).toEqual([expect.stringMatching(/^typescript-main-\w+\.v8$/), expect.stringMatching(/^typescript-worker-\w+\.v8$/)]);

  const second = run("second", {});
  expect(second.found).toEqual({ main: "hit", worker: "hit" });
  expect(second.wrote).toBe(0);

  for (const f of files) fs.writeFileSync(path.join(cacheDir, f), "damaged");
  const damaged = run("damaged", {});
  expect(damaged.found).toEqual({ main: "rejected", worker: "rejected" });
  expect(damaged.wrote).toBe(2);
  for (const f of files) expect(fs.statSync(path.join(cacheDir, f)).size).toBeGreaterThan(100_000);
  expect(run("again", {}).found).toEqual({ main: "hit", worker: "hit" });

  // A cache dir that cannot be made (under a regular file): the run is the same, without a cache.
  const blocked = path.join(tempDir(), "file");
  fs.writeFileSync(blocked, "");
  const none = run("none", { VALIDATE_DOCS_CODE_CACHE_DIR: path.join(blocked, "cache") });
  expect(none.found).toEqual({ main: "off", worker: "off" });
  expect(none.wrote).toBe(0);

  for (const r of [...first, second, damaged, none]) expect(r.results).toEqual(off.results);
});
