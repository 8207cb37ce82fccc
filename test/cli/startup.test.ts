// What each thread and process of a real CLI run loads. The compiler (9 MB, ≈ 0.2–0.4 s of CPU per thread that loads
// it) belongs to the main thread (extract, grade, the run stage's syntax) and the analysis worker only; the run
// stage's thread, the runner processes and the page threads must never load it; esbuild is the run stage's, on its
// thread or, in a small run, on the main thread, which loads Handlebars only for templates (docs/performance.md). A probe,
// preloaded with `--require` into every Node thread and process of the run (worker threads inherit it; the run
// stage's processes get it through NODE_OPTIONS, passed on by `passEnv`), logs each thread's entry script and each
// heavy module file it reads or compiles; the CLI's threads run from its bundle (dist/bundle, scripts/bundle.mjs), and a
// user's rule module still reaches `validate-docs` and `validate-docs/ast` from there. V8's code cache for the
// compiler: test/cli/code-cache.test.ts.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";
import { BIN, REPO, TSCONFIG, fence, makeProject, once, runCli } from "../helpers.js";

const PROBE = `
const fs = require("node:fs");
const Module = require("node:module");
const { threadId } = require("node:worker_threads");
const log = process.env.VD_LOAD_LOG;
// A worker thread's entry (its process.argv[1]) is set after preloading: read it when writing, the start a moment later.
const write = (event) => fs.appendFileSync(log, JSON.stringify({ pid: process.pid, thread: threadId, entry: process.argv[1] ?? "", ...event }) + "\\n");
setImmediate(() => write({ event: "start", execArgv: process.execArgv }));
const HEAVY = /node_modules[\\\\/](typescript[\\\\/]lib[\\\\/]typescript\\.js|esbuild[\\\\/]lib[\\\\/]main\\.js|handlebars[\\\\/]lib[\\\\/]index\\.js)$/;
const seen = new Set();
const saw = (file) => {
  const m = HEAVY.exec(String(file));
  if (m && !seen.has(m[1])) {
    seen.add(m[1]);
    write({ event: "load", module: m[1].split(/[\\\\/]/)[0] });
  }
};
// A module is loaded through require (compiled by Module.prototype._compile) or read and compiled by other means.
const compile = Module.prototype._compile;
Module.prototype._compile = function (content, filename) {
  saw(filename);
  return compile.call(this, content, filename);
};
const readFileSync = fs.readFileSync;
fs.readFileSync = function (file, ...rest) {
  saw(file);
  return readFileSync.call(this, file, ...rest);
};
`;

interface Event {
  pid: number;
  thread: number;
  entry: string;
  event: "start" | "load";
  module?: string;
  /** At start: the process's Node and V8 flags. */
  execArgv?: string[];
}

/** The role of a thread from its entry script: compiled (dist/src/analyze/worker.js) or bundled (dist/bundle/analyze-worker.js). */
function role(e: Event): string {
  const rel = path.relative(REPO, e.entry).split(path.sep).join("/");
  if (rel === "bin/validate-docs.js") return "main";
  const bundled = /^dist\/bundle\/(\w+)-(\w+)\.js$/.exec(rel);
  return bundled ? `${bundled[1]}/${bundled[2]}` : rel.replace(/^dist\/src\//, "").replace(/\.js$/, "");
}

/**
 * A project whose every thread and process runs the probe: two pages (page context and a `// =>` assertion on one)
 * that import no package, and docs/c.md, which does.
 */
const probedProject = once(() => {
  // Page context and a `// =>` assertion: both need the compiler's parser for the run (read on the main thread).
  const page = ["# Page\n\n", fence("ts", 'const name: string = "b.txt";'), "\n", fence("ts", "name.toUpperCase() // => 'B.TXT'\nconsole.log(name);")].join("");
  return makeProject({
    "package.json": JSON.stringify({ name: "docs", type: "module" }),
    "tsconfig.json": TSCONFIG,
    "docs/a.md": page,
    "docs/b.md": "# B\n\n" + fence("ts", "const b: number = 1;\nconsole.log(b);"),
    "docs/c.md": "# C\n\n" + fence("ts", 'import { v } from "tiny-pkg";\nconsole.log(v);'),
    "node_modules/tiny-pkg/package.json": JSON.stringify({ name: "tiny-pkg", type: "module", exports: "./index.js", types: "./index.d.ts" }),
    "node_modules/tiny-pkg/index.js": "export const v = 1;\n",
    "node_modules/tiny-pkg/index.d.ts": "export declare const v: number;\n",
    "probe.cjs": PROBE,
    // The probe writes its log outside the page's temp dir: no sandbox here (it is not what this test is about).
    "validate-docs.config.json": JSON.stringify({ sandbox: false, passEnv: ["NODE_OPTIONS", "VD_LOAD_LOG"] }),
  });
});

/** Runs the CLI on `pages` of probedProject with `env`; what each thread and process logged. */
function probedRun(tag: string, pages: string[], env: NodeJS.ProcessEnv): Event[] {
  const dir = probedProject();
  const log = path.join(dir, `${tag}.log`);
  const probe = path.join(dir, "probe.cjs");
  const run = spawnSync(process.execPath, ["--require", probe, BIN, "--no-color", "--no-cache", "--out", `reports-${tag}`, ...pages], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", NODE_OPTIONS: `--require ${probe}`, VD_LOAD_LOG: log, ...env },
    timeout: 480_000,
  });
  const r = { code: run.status, stdout: run.stdout, stderr: run.stderr };
  expect(r.stdout + r.stderr).toMatch(/no errors/);
  expect(r.code).toBe(0);
  return fs.readFileSync(log, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Event);
}

const loadersIn = (events: Event[], module: string) => [...new Set(events.filter((e) => e.event === "load" && e.module === module).map(role))].sort();

it("only the main thread and the analysis worker load the compiler; the run stage's thread, runners and page threads do not; esbuild is the run stage's", () => {
  // Type-check and lint on their worker thread and the run stage on its own, as in a larger run (a run this small
  // does both on the main thread: the test below), so that every kind of thread is there.
  const events = probedRun("threads", ["docs"], { VALIDATE_DOCS_ANALYZE_INLINE: "0", VALIDATE_DOCS_RUN_INLINE: "0" });
  const started = new Set(events.filter((e) => e.event === "start").map(role));
  // The probe saw every kind of thread and process the run has (so an absent load means something).
  for (const r of ["main", "analyze/worker", "run/worker", "runtime/runner", "runtime/harness"]) expect(started).toContain(r);
  // The CLI's threads run from its bundle (scripts/bundle.mjs), not module by module from dist/src.
  for (const r of ["analyze/worker", "run/worker"]) {
    expect(events.find((e) => e.event === "start" && role(e) === r)!.entry).toBe(path.join(REPO, "dist", "bundle", `${r.replace("/", "-")}.js`));
  }
  // A page thread per page: a runner starts the next page's thread early only when a page may come to it.
  expect(events.filter((e) => e.event === "start" && role(e) === "runtime/harness")).toHaveLength(3);
  // docs/c.md imports a package: the runners get the V8 flags of a page process (src/run/pool.ts spawnRunner).
  const runners = events.filter((e) => e.event === "start" && role(e) === "runtime/runner");
  expect(runners.length).toBeGreaterThan(0);
  for (const e of runners) expect(e.execArgv).toContain("--max-old-space-size=512");
  expect(loadersIn(events, "typescript")).toEqual(["analyze/worker", "main"]);
  // esbuild's JavaScript API builds the examples on the run stage's thread; Handlebars only renders templates.
  expect(loadersIn(events, "esbuild")).toEqual(["run/worker"]);
  expect(loadersIn(events, "handlebars")).toEqual([]);
});

it("a small run type-checks and drives its examples on the main thread: no analysis or run stage thread; runners (without V8 flags: no page imports a package) and page threads load neither the compiler nor esbuild", () => {
  const events = probedRun("small", ["docs/a.md", "docs/b.md"], {});
  // The default limits (src/analyze/threaded.ts, src/run/threaded.ts).
  expect(new Set(events.filter((e) => e.event === "start").map(role))).toEqual(new Set(["main", "runtime/runner", "runtime/harness"]));
  expect(events.filter((e) => e.event === "start" && role(e) === "runtime/harness")).toHaveLength(2);
  // No page imports a package: no V8 flag on a runner's command line (unsandboxed here, so none at all), with which
  // Node compiles its own modules without their built-in code cache in the runner and each page thread.
  for (const e of events.filter((e) => e.event === "start" && role(e) === "runtime/runner")) expect(e.execArgv).toEqual([]);
  expect(loadersIn(events, "typescript")).toEqual(["main"]);
  expect(loadersIn(events, "esbuild")).toEqual(["main"]);
  expect(loadersIn(events, "handlebars")).toEqual([]);
});

it("a rule module run by the bundled CLI imports validate-docs and validate-docs/ast (the compiled modules beside the bundle)", () => {
  const dir = makeProject({
    "package.json": JSON.stringify({ name: "docs", type: "module" }),
    "tsconfig.json": TSCONFIG,
    // A rule that names each called function through the type-aware helpers (`validate-docs/ast`).
    "rules/calls.ts": [
      'import { calleeNameNode } from "validate-docs/ast";',
      'import { defineRule } from "validate-docs";',
      "const messages = { call: 'calls {{name}}' };",
      "export default defineRule({ id: 'calls', meta: { description: 'Calls.', severity: 'error', messages }, create: (context) => ({",
      "  CallExpression(node) { const name = calleeNameNode(node.expression); if (name) context.report({ node: name, messageId: 'call', data: { name: name.text } }); },",
      "}) });",
    ].join("\n"),
    "validate-docs.config.json": JSON.stringify({ plugins: { calls: "./rules/calls.ts" }, rules: { calls: "error" } }),
    "docs/a.md": "# A\n\n" + fence("ts", "const n: number = 1;\nconsole.log(n);"),
  });
  const r = runCli(["--no-color", "--no-cache", "--no-run", "docs"], dir);
  expect(r.stdout).toContain("docs/a.md:5:9 error calls calls log");
  expect(r.code).toBe(1);
});

it("a bad flag value or a config file that fails validation is reported before the compiler loads (nor esbuild): exit 2, no reports; init-hook never loads them", () => {
  const dir = makeProject({
    "package.json": JSON.stringify({ name: "docs", type: "module" }),
    "docs/a.md": "# A\n\n" + fence("ts", "const n: number = 1;\nconsole.log(n);"),
    "probe.cjs": PROBE,
  });
  const probe = path.join(dir, "probe.cjs");
  const loads = (args: string[], tag: string) => {
    const log = path.join(dir, `${tag}.log`);
    const run = spawnSync(process.execPath, ["--require", probe, BIN, "--no-color", ...args], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1", VD_LOAD_LOG: log },
      timeout: 120_000,
    });
    const events = fs.readFileSync(log, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Event);
    // The probe ran in the CLI's process (so an absent load means something).
    expect(events.filter((e) => e.event === "start").map(role)).toEqual(["main"]);
    return { code: run.status, stderr: run.stderr, loaded: events.filter((e) => e.event === "load").map((e) => e.module) };
  };
  const flag = loads(["--timeout", "soon"], "flag");
  expect(flag.stderr).toContain('invalid value for option `timeout`: "soon"');
  expect(flag.code).toBe(2);
  expect(flag.loaded).toEqual([]);
  fs.writeFileSync(path.join(dir, "validate-docs.config.json"), JSON.stringify({ isolate: "thread" }));
  const config = loads([], "config");
  expect(config.stderr).toContain('validate-docs.config.json: invalid value for option `isolate`: "thread"');
  expect(config.code).toBe(2);
  expect(config.loaded).toEqual([]);
  expect(fs.existsSync(path.join(dir, "reports"))).toBe(false);
  // `init-hook` never needs them either (src/init-hook.ts): here outside a git repository.
  const hook = loads(["init-hook", "--root", path.join(dir, "nowhere")], "hook");
  expect(hook.stderr).toContain("validate-docs needs a git repository");
  expect(hook.code).toBe(2);
  expect(hook.loaded).toEqual([]);
});
