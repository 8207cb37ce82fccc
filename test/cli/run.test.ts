// The run stage through the real CLI in a subprocess, on temp projects, as a user runs it: every finding kind,
// timeouts and killed process trees, exits, dependency warnings and their policy, output assertions and
// --update, bounded capture, isolation between pages, CJS/ESM dependencies and the environment policy.
// Pages are grouped so one CLI run proves several cases without blurring which page proves what.
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { CliResult } from "../helpers.js";
import { TSCONFIG, columnOf, fence, isAlive, lineOf, makeProject, once, pageOf, readJson, ruleIds, runCli } from "../helpers.js";
import type { CheckResult as Index, Finding as ReportFinding, PageResult as ReportPage } from "../../src/types.js";


function project(files: Record<string, string>): string {
  const dir = makeProject({ "package.json": JSON.stringify({ name: "docs-project", type: "module" }), "tsconfig.json": TSCONFIG, ...files });
  return dir;
}

const rulesOf = (page: ReportPage): string[] => ruleIds(page).sort();


/** The pid of the first process that ran the block (a continuation of the page runs it again, appending its own). */
const readPid = (dir: string, name: string): number => Number(fs.readFileSync(path.join(dir, name), "utf8").split("\n")[0]);

/** A block that records its process's pid in $PID_DIR/<name> (the pool deletes the page's own cwd). */
const writePid = (name: string, expr = "process.pid"): string =>
  `import fs from "node:fs";\nimport path from "node:path";\nfs.appendFileSync(path.join(process.env.PID_DIR!, "${name}"), String(${expr}) + "\\n");`;

// ------------------------------------------------------------------ pages that must fail, each its own way
const THREW = [
  "# Throws", //                                                1
  "", //                                                        2
  "1. Configure the client:", //                                3
  "", //                                                        4
  "   ```ts", //                                                5
  "   const retries: number = 4;", //                           6
  "   function check(n: number): void {", //                    7
  "     if (n > 3) throw new RangeError(`too many retries: ${n}`);", // 8
  "   }", //                                                    9
  "   check(retries);", //                                     10
  "   ```", //                                                 11
  "",
].join("\n");

const REJECTION = "# Rejection\n\n" + fence("ts", "async function load(): Promise<void> {\n  throw new Error('backend unreachable');\n}\nvoid load();");

const SYNC_TIMEOUT = ["# Busy loop", fence("ts", writePid("sync.pid")), fence("ts", "while (true) {}"), fence("ts", "console.log('never');")].join("\n");

const ASYNC_TIMEOUT = [
  "# Never settles",
  fence("ts", writePid("async.pid")),
  // The interval keeps the event loop alive, so only the timer can end this page.
  fence("ts", "await new Promise<void>(() => {\n  setInterval(() => {}, 60_000);\n});"),
  fence("ts", "console.log('never');"),
].join("\n");

// Nothing left on the event loop: node itself would exit with code 13; the harness reports it at once.
const STALLED = ["# Stalled", fence("ts", "await new Promise<void>(() => {});"), fence("ts", "console.log('never');")].join("\n");

const EXIT = [
  "# Exit",
  fence("ts", "console.log('one');"),
  fence("ts", "console.log('two');\nprocess.exit(0);"),
  fence("ts", "console.log('three');"),
].join("\n");

const WARN = [
  "# Dependency warning",
  fence("ts", "import { connect } from 'legacy-client';\n\nconst conn = connect('db://local');\nconsole.log(conn.secure);"),
  // A block's own console.error in a catch is the example's output, not a finding.
  fence("ts", "try {\n  JSON.parse('{');\n} catch (err) {\n  console.error('could not parse:', (err as Error).message);\n}"),
].join("\n");

const VALUES = "# Values\n\n" + fence("ts", "const xs = [1, 2, 3];\nxs.length; // => 3\nxs.map((x) => x * 2); // => [ 2, 4, 7 ]");

const EXPECT_THROW = [
  "# Expect throw",
  fence("ts expect-throw", "const fine = 1;\nconsole.log(fine);"),
  fence('ts expect-throw="TypeError: bad input"', "throw new RangeError('out of range');"),
].join("\n");

const SECRET = "# Secret\n\n" + fence("ts", "throw new Error(`401 Unauthorized: key ${process.env.MY_API_KEY} was rejected`);");

const LEGACY_CLIENT = {
  "node_modules/legacy-client/package.json": JSON.stringify({ name: "legacy-client", version: "2.0.0", main: "index.js" }),
  "node_modules/legacy-client/index.js":
    "exports.connect = function connect(url) {\n  console.warn('legacy-client: TLS is not configured, falling back to plaintext for ' + url);\n  return { url, secure: false };\n};\n",
};

/** A library that reads `.env` from the working directory and says so on stderr (as dotenv does), or reads a file. */
const ENV_LIB = {
  "node_modules/envlib/package.json": JSON.stringify({ name: "envlib", version: "1.0.0", main: "index.js" }),
  "node_modules/envlib/index.js": [
    "const fs = require('fs');",
    "exports.config = function config() {",
    "  let error;",
    "  try { fs.readFileSync('.env', 'utf8'); } catch (e) { error = e; }",
    "  console.error('\u25C7 injected env (0) from .env');",
    "  return error ? { error } : { parsed: {} };",
    "};",
    "exports.load = function load(file) { return fs.readFileSync(file, 'utf8'); };",
    "",
  ].join("\n"),
};

const ENV_PAGE = [
  "# Env",
  fence("js", "import envlib from 'envlib';\nenvlib.config();"),
  fence("js", "import envlib from 'envlib';\nconst result = envlib.config();\nif (result.error) {\n  throw result.error;\n}"),
  // look-alikes: another file the example reads, and another warning of a library, are still errors
  fence("js", "import envlib from 'envlib';\nenvlib.load('settings.json');"),
  fence("ts", "import { connect } from 'legacy-client';\nconnect('db://local');"),
].join("\n");

/** A module singleton that only one page may claim (test "isolation, dependencies and environment" below). */
const REGISTRY = {
  "node_modules/registry/package.json": JSON.stringify({ name: "registry", type: "module", exports: "./index.js" }),
  "node_modules/registry/index.js":
    "let current;\nexport function claim(name) {\n  if (current) throw new Error(`registry already claimed by ${current}`);\n  current = name;\n}\nexport const owner = () => current;\n",
};

/** Fails if anything from another page is visible: a module singleton, a global, an env var, a file in cwd. */
const claimPage = (name: string): string =>
  [
    `# Page ${name}`,
    fence(
      "ts",
      [
        "import fs from 'node:fs';",
        "import { claim } from 'registry';",
        "const g = globalThis as { owner?: string };",
        "if (g.owner) throw new Error(`global already set by ${g.owner}`);",
        "if (process.env.OWNER) throw new Error(`env already set by ${process.env.OWNER}`);",
        "if (fs.existsSync('owner.txt')) throw new Error('cwd shared with another page');",
        `g.owner = '${name}';`,
        `process.env.OWNER = '${name}';`,
        `fs.writeFileSync('owner.txt', '${name}');`,
        `claim('${name}');`,
      ].join("\n"),
    ),
    fence("ts", `import { owner } from 'registry';\nowner(); // => '${name}'`),
  ].join("\n");

/** Control for the isolation test: the two claim pages' blocks as one page conflict. */
const BOTH_CLAIMS = claimPage("a") + "\n" + claimPage("b").replace("# Page b", "## Then b");

/**
 * The pages that must fail, each its own way, in one project and one run (the run stage only); the warnings policy's
 * `.env` page and the isolation test's control page are two more of its pages. Each test reads its own page.
 */
const findingsRun = once(() => {
  const dir = project({
    "docs/threw.md": THREW,
    "docs/rejection.md": REJECTION,
    "docs/sync-timeout.md": SYNC_TIMEOUT,
    "docs/async-timeout.md": ASYNC_TIMEOUT,
    "docs/stalled.md": STALLED,
    "docs/exit.md": EXIT,
    "docs/warn.md": WARN,
    "docs/values.md": VALUES,
    "docs/expect-throw.md": EXPECT_THROW,
    "docs/secret.md": SECRET,
    "docs/env.md": ENV_PAGE,
    "docs/both.md": BOTH_CLAIMS,
    ...LEGACY_CLIENT,
    ...ENV_LIB,
    ...REGISTRY,
  });
  const pids = path.join(dir, "pids");
  fs.mkdirSync(pids);
  fs.writeFileSync(path.join(dir, "validate-docs.config.json"), JSON.stringify({ env: { PID_DIR: pids }, passEnv: ["MY_API_KEY"], sandbox: { childProcess: true, write: ["pids"] } }));
  const r = runCli(["--no-typecheck", "--no-lint", "--timeout", "1000", "--concurrency", "2"], dir, { MY_API_KEY: "supersecretvalue123" });
  return { dir, pids, r, index: (): Index => readJson<Index>(path.join(dir, "reports/index.json")) };
});

describe("run findings through the CLI", () => {
  let dir = "";
  let pids = "";
  let r: CliResult;
  let index: () => Index;
  beforeAll(() => {
    ({ dir, pids, r, index } = findingsRun());
  });

  it("exits 1 and reports exactly the expected rule per page", () => {
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    const verdict = Object.fromEntries(index().pages.map((p) => [p.page, rulesOf(p)]));
    expect(verdict).toEqual({
      "docs/async-timeout.md": ["run/timeout"],
      // The isolation test's control and the warnings policy's `.env` page, asserted there block by block.
      "docs/both.md": ["run/output-mismatch", "run/threw"],
      "docs/env.md": ["run/dependency-warning", "run/dependency-warning", "run/dependency-warning", "run/threw", "run/threw"],
      "docs/exit.md": ["run/exit"],
      "docs/expect-throw.md": ["run/expected-throw", "run/expected-throw"],
      "docs/rejection.md": ["run/unhandled-rejection"],
      "docs/secret.md": ["run/threw"],
      "docs/stalled.md": ["run/timeout"],
      "docs/sync-timeout.md": ["run/timeout"],
      "docs/threw.md": ["run/threw"],
      "docs/values.md": ["run/output-mismatch"],
      "docs/warn.md": ["run/dependency-warning"],
    });
  });

  it("maps a throw inside a list-indented fence to the page line:column, with the mapped stack", () => {
    const f = pageOf(index(), "docs/threw.md").findings[0]!;
    const line = lineOf(THREW, "throw new RangeError");
    const column = columnOf(THREW, "new RangeError"); // V8 places the frame at the `new` expression
    expect(line).toBe(8);
    expect(f.place.start).toMatchObject({ line, column });
    expect(f.severity).toBe("error");
    expect(f.message).toContain("RangeError: too many retries: 4");
    expect(f.hint).toContain(`docs/threw.md:${line}:`);
    expect(f.hint).toContain(`docs/threw.md:${lineOf(THREW, "check(retries)")}:`);
    expect(r.stdout).toContain(`docs/threw.md:${line}:${column} error run/threw`);
  });

  it("reports an unhandled rejection at the throwing line", () => {
    const f = pageOf(index(), "docs/rejection.md").findings[0]!;
    expect(f.message).toContain("backend unreachable");
    expect(f.place.start.line).toBe(lineOf(REJECTION, "throw new Error"));
  });

  it("stops a sync busy loop and a never-settling promise after --timeout, and kills their processes", () => {
    for (const [page, source, pidFile] of [
      ["docs/sync-timeout.md", SYNC_TIMEOUT, "sync.pid"],
      ["docs/async-timeout.md", ASYNC_TIMEOUT, "async.pid"],
    ] as const) {
      const p = pageOf(index(), page);
      const f = p.findings[0]!;
      const blocks = p.blocks;
      expect(f.blockId).toBe(blocks[1]!.id);
      expect(f.place.start.line).toBe(blocks[1]!.line);
      expect(f.message).toContain("within 1000 ms");
      // The block after the timed-out one ran on in a fresh process, and the message says so.
      expect(f.message).toContain(`remaining blocks (line ${lineOf(source, "console.log('never')") - 1}) ran on in a fresh process`);
      expect(blocks[2]!.checks).toContain("run");
      expect(blocks[2]!.status).toBe("passed");
      const pid = readPid(pids, pidFile);
      expect(pid).toBeGreaterThan(0);
      expect(isAlive(pid), `page process ${pid} of ${page} still running`).toBe(false);
    }
  });

  it("reports an await that can never settle without waiting for the timeout", () => {
    const f = pageOf(index(), "docs/stalled.md").findings[0]!;
    expect(f.message).toContain("can never settle");
    expect(f.place.start.line).toBe(lineOf(STALLED, "```ts"));
  });

  it("fails a page that calls process.exit(0) midway; the blocks after it run on in a fresh process", () => {
    const p = pageOf(index(), "docs/exit.md");
    const f = p.findings[0]!;
    expect(f.place.start.line).toBe(lineOf(EXIT, "process.exit(0)"));
    expect(f.message).toContain("process.exit(0)");
    expect(f.message).toContain(`remaining blocks (line ${p.blocks[2]!.line}) ran on in a fresh process`);
    expect(p.blocks.map((b) => b.checks.includes("run"))).toEqual([true, true, true]);
    expect(p.blocks[2]!.status).toBe("passed");
    expect(p.blocks[1]!.status).toBe("failed");
  });

  it("fails on a warning printed by a dependency at the calling line, not on the block's own console.error", () => {
    const p = pageOf(index(), "docs/warn.md");
    expect(p.findings).toHaveLength(1);
    const f = p.findings[0]!;
    expect(f.severity).toBe("error");
    expect(f.place.start.line).toBe(lineOf(WARN, "connect('db://local')"));
    expect(f.message).toContain("`legacy-client`");
    expect(f.message).toContain("TLS is not configured");
    expect(p.blocks[1]!.status).toBe("passed");
  });

  it("checks `// =>` comments at their line and reports the actual value", () => {
    const f = pageOf(index(), "docs/values.md").findings[0]!;
    expect(f.place.start.line).toBe(lineOf(VALUES, "// => [ 2, 4, 7 ]"));
    expect(f.message).toContain("[ 2, 4, 6 ]");
  });

  it("fails expect-throw blocks that do not throw or throw something else", () => {
    const p = pageOf(index(), "docs/expect-throw.md");
    expect(p.findings.map((f) => f.blockId).sort()).toEqual([p.blocks[0]!.id, p.blocks[1]!.id].sort());
    expect(p.findings.find((f) => f.blockId === p.blocks[1]!.id)!.message).toContain("RangeError: out of range");
  });

  it("masks a secret from the parent environment in every report and on the console", () => {
    const f = pageOf(index(), "docs/secret.md").findings[0]!;
    expect(f.message).toContain("401 Unauthorized: key *** was rejected");
    const files = [path.join(dir, "reports/index.json"), path.join(dir, "reports/index.md"), path.join(dir, "reports/pages/docs/secret.md.json"), path.join(dir, "reports/pages/docs/secret.md.md")];
    for (const file of files) expect(fs.readFileSync(file, "utf8"), file).not.toContain("supersecretvalue123");
    expect(r.stdout).not.toContain("supersecretvalue123");
    expect(r.stdout).toContain("key *** was rejected");
  });
});

// ------------------------------------------------------------------ warnings policy
describe("warnings policy through the CLI", () => {
  // One run, two dependencies' warnings: the allowlisted one is accepted, the other is a warning under --warnings warn.
  // (The default policy, "error", fails the same warn.md page: "run findings through the CLI" above.)
  it("reports dependency warnings as warnings with --warnings warn, and accepts them with allowWarnings", () => {
    const dir = project({
      "docs/warn.md": WARN,
      ...LEGACY_CLIENT,
      "docs/noisy.md": fence("ts", "import { start } from 'noisy-lib';\nstart();"),
      "node_modules/noisy-lib/package.json": JSON.stringify({ name: "noisy-lib", version: "1.0.0", main: "index.js" }),
      "node_modules/noisy-lib/index.js": "exports.start = function start() {\n  console.warn('noisy-lib: start() is deprecated, use run()');\n};\n",
      "validate-docs.config.json": JSON.stringify({ allowWarnings: ["/TLS is not configured/"] }),
    });
    const warn = runCli(["--no-typecheck", "--no-lint", "--warnings", "warn"], dir);
    expect(warn.stderr).toBe("");
    expect(warn.code).toBe(0);
    const index = readJson<Index>(path.join(dir, "reports/index.json"));
    expect(pageOf(index, "docs/noisy.md").findings.map((f) => `${f.ruleId} ${f.severity} ${f.message.includes("start() is deprecated")}`)).toEqual(["run/dependency-warning warning true"]);
    expect(pageOf(index, "docs/warn.md").findings).toEqual([]);
    expect(pageOf(index, "docs/warn.md").blocks.map((b) => b.status)).toEqual(["passed", "passed"]);
    expect(index.summary).toMatchObject({ errors: 0, warnings: 1 });
  });
  it("a library naming the reader's `.env` (which the fresh working directory lacks) is info; any other warning or missing file is not", () => {
    // A page of the "run findings" run above (the default policy), which fails the run.
    const { r, index } = findingsRun();
    expect(r.code).toBe(1);
    const p = pageOf(index(), "docs/env.md");
    const at = (i: number): string[] => p.findings.filter((f) => f.blockId === p.blocks[i]!.id).map((f) => `${f.ruleId} ${f.severity}`);
    expect(at(0)).toEqual(["run/dependency-warning info"]);
    expect(at(1)).toEqual(["run/dependency-warning info", "run/threw info"]);
    expect(p.findings.find((f) => f.blockId === p.blocks[1]!.id && f.ruleId === "run/threw")!.message).toContain("a file of the reader's project");
    expect(at(2)).toEqual(["run/threw error"]);
    expect(p.findings.find((f) => f.blockId === p.blocks[2]!.id)!.message).toContain("settings.json");
    expect(at(3)).toEqual(["run/dependency-warning error"]);
    expect(p.blocks.map((b) => b.status)).toEqual(["passed", "passed", "failed", "failed"]);
  });
});

// ------------------------------------------------------------------ output fences and --update
const OUTPUT_PAGE = [
  "# Output", //
  "",
  "Text before, with trailing spaces   ",
  "",
  fence("ts", "console.log('hello');\nconsole.log([1, 2].map((n) => n * 2).join(','));"),
  "The program prints:",
  "",
  "```output",
  "hello",
  "3,4",
  "```",
  "",
  fence("ts", "const sizes = new Map([['a', 1]]);\nsizes.get('a'); // => 1\n'x'.repeat(3) // => 'xxx'"),
  fence('ts expect-throw="TypeError: bad input"', "throw new TypeError('bad input');"),
  fence("ts expect-throw", "await Promise.reject(new Error('rejected on purpose'));"),
  "A closing paragraph\twith a tab.",
  "",
].join("\n");

// The output page and the secret page (an example printing a variable passed from the parent environment) share one
// project and its two runs: plain, then --update; each test asserts its own page. After rewriting, --update checks the
// pages again as written on disk and reports that (src/commands.ts checkCommand): its report and exit code are what a
// next run gives (which would replay those results from the cache).
const SECRET_PAGE = "```ts\nconsole.log(process.env.MY_TOKEN);\n```\n\n```output\nold\n```\n";
const SECRET_ENV = { MY_TOKEN: "supersecret123" };
const outputRuns = once(() => {
  const dir = project({ "docs/out.md": OUTPUT_PAGE, "docs/s.md": SECRET_PAGE, "validate-docs.config.json": JSON.stringify({ passEnv: ["MY_TOKEN"] }) });
  const read = () => ({ index: readJson<Index>(path.join(dir, "reports/index.json")), json: fs.readFileSync(path.join(dir, "reports/index.json"), "utf8"), out: fs.readFileSync(path.join(dir, "docs/out.md"), "utf8"), s: fs.readFileSync(path.join(dir, "docs/s.md"), "utf8") });
  const first = runCli(["--no-typecheck", "--no-lint"], dir, SECRET_ENV);
  const afterFirst = read();
  const update = runCli(["--no-typecheck", "--no-lint", "--update"], dir, SECRET_ENV);
  const afterUpdate = read();
  return { first, afterFirst, update, afterUpdate };
});

describe("output assertions and --update through the CLI", () => {
  it("reports an output mismatch, --update rewrites only that fence body, and the pages as written pass", () => {
    const { first, afterFirst, update, afterUpdate } = outputRuns();
    expect(first.stderr).toBe("");
    expect(first.code).toBe(1);
    const findings = pageOf(afterFirst.index, "docs/out.md").findings;
    expect(findings.map((f) => f.ruleId)).toEqual(["run/output-mismatch"]);
    expect(findings[0]!.place.start.line).toBe(lineOf(OUTPUT_PAGE, "```output"));
    expect(findings[0]!.message).toContain("-3,4");
    expect(findings[0]!.message).toContain("+2,4");
    expect(afterFirst.out).toBe(OUTPUT_PAGE); // a plain run never writes

    expect(update.stderr).toBe("");
    expect(update.stdout).toContain("docs/out.md: 1 output block updated");
    expect(update.stdout).not.toContain("run/output-mismatch"); // reported as written: nothing left to fix
    expect(update.code).toBe(0);
    const after = afterUpdate.out;
    const bodyStart = OUTPUT_PAGE.indexOf("```output\n") + "```output\n".length;
    const bodyEnd = OUTPUT_PAGE.indexOf("```", bodyStart);
    expect(after.slice(0, bodyStart)).toBe(OUTPUT_PAGE.slice(0, bodyStart));
    expect(after.slice(bodyStart, bodyStart + "hello\n2,4\n".length)).toBe("hello\n2,4\n");
    expect(after.slice(bodyStart + "hello\n2,4\n".length)).toBe(OUTPUT_PAGE.slice(bodyEnd));

    // The pages as written pass (the --update run's check of them).
    const index = afterUpdate.index;
    expect(index.summary.errors).toBe(0);
    expect(pageOf(index, "docs/out.md").blocks.every((b) => b.checks.includes("run"))).toBe(true);
  });
});

// ------------------------------------------------------------------ isolation, dependencies, environment, capture
const SHARED_GLOBAL = [
  "# A tutorial in steps",
  fence("ts", "(globalThis as { total?: number }).total = 40;"),
  fence("ts", "const g = globalThis as { total?: number };\ng.total! += 2;"),
  fence("ts", "console.log((globalThis as { total?: number }).total);"),
  fence("output", "42"),
].join("\n");

const DEPENDENCIES = [
  "# Both module systems",
  fence("ts", "import { greet } from 'cjs-only';\nimport legacy from 'cjs-only';\ngreet('cjs'); // => 'hello cjs'\ntypeof legacy.greet; // => 'function'"),
  fence("ts", "import { shout } from 'esm-only';\nshout('esm'); // => 'ESM!'"),
].join("\n");

const ENVIRONMENT = [
  "# Environment",
  fence(
    "ts",
    [
      "process.env.NODE_OPTIONS; // => undefined",
      "(globalThis as { preloaded?: boolean }).preloaded; // => undefined",
      "process.env.UNLISTED_VAR; // => undefined",
      "process.env.PASSED_VAR; // => 'passed through'",
      "process.env.OPENAI_API_KEY; // => 'sk-test'",
      "process.cwd().includes('validate-docs-page-'); // => true",
      "typeof process.env.PATH; // => 'string'",
    ].join("\n"),
  ),
].join("\n");

const BIG_OUTPUT = [
  "# Fifty megabytes",
  fence("ts", "const chunk = 'x'.repeat(1024 * 1024);\nfor (let i = 0; i < 50; i++) process.stdout.write(chunk);"),
  fence("ts", "console.log('still running');"),
  fence("output", "still running"),
].join("\n");

const CHILD = [
  "# A child process that outlives its block",
  fence(
    "ts",
    [
      "import { spawn } from 'node:child_process';",
      "import fs from 'node:fs';",
      "import path from 'node:path';",
      "const forever = ['-e', 'setInterval(() => {}, 1000)'];",
      "const child = spawn(process.execPath, forever, { stdio: 'ignore' });",
      "child.unref();",
      "fs.writeFileSync(path.join(process.env.PID_DIR!, 'child.pid'), String(child.pid));",
      "// A detached child leads its own process group: killing the page's group alone would miss it.",
      "const daemon = spawn(process.execPath, forever, { stdio: 'ignore', detached: true });",
      "daemon.unref();",
      "fs.writeFileSync(path.join(process.env.PID_DIR!, 'daemon.pid'), String(daemon.pid));",
    ].join("\n"),
  ),
].join("\n");

describe("isolation, dependencies and environment through the CLI", () => {
  let dir = "";
  let pids = "";
  let r: CliResult;
  beforeAll(() => {
    dir = project({
      "docs/shared-global.md": SHARED_GLOBAL,
      "docs/claim-a.md": claimPage("a"),
      "docs/claim-b.md": claimPage("b"),
      "docs/dependencies.md": DEPENDENCIES,
      "docs/environment.md": ENVIRONMENT,
      "docs/big-output.md": BIG_OUTPUT,
      "docs/child.md": CHILD,
      ...REGISTRY,
      "node_modules/cjs-only/package.json": JSON.stringify({ name: "cjs-only", main: "lib.js" }),
      "node_modules/cjs-only/lib.js": "'use strict';\nexports.greet = function greet(name) { return 'hello ' + name; };\n",
      "node_modules/esm-only/package.json": JSON.stringify({ name: "esm-only", type: "module", exports: { ".": { import: "./index.js" } } }),
      "node_modules/esm-only/index.js": "export const shout = (s) => s.toUpperCase() + '!';\n",
      "preload.cjs": "globalThis.preloaded = true;\n",
    });
    pids = path.join(dir, "pids");
    fs.mkdirSync(pids);
    fs.writeFileSync(path.join(dir, "validate-docs.config.json"), JSON.stringify({ env: { PID_DIR: pids, OPENAI_API_KEY: "sk-test" }, passEnv: ["PASSED_VAR"], sandbox: { childProcess: true, write: ["pids"] } }));
    // NODE_OPTIONS preloads a module into the CLI itself; pages must not inherit it.
    r = runCli(["--no-typecheck", "--no-lint", "--concurrency", "1"], dir, {
      NODE_OPTIONS: `--require ${path.join(dir, "preload.cjs")}`,
      PASSED_VAR: "passed through",
      UNLISTED_VAR: "not for pages",
    });
  });
  const index = (): Index => readJson<Index>(path.join(dir, "reports/index.json"));

  it("passes every page: shared globals within a page, none across pages, CJS and ESM dependencies, the env policy", () => {
    expect(r.stderr).toBe("");
    const failures = index().pages.flatMap((p) => p.findings.map((f) => `${p.page}:${f.place.start.line} ${f.ruleId}: ${f.message}`));
    expect(failures).toEqual([]);
    expect(r.code).toBe(0);
    const ran = index().pages.flatMap((p) => p.blocks.filter((b) => b.checks.includes("run")).map(() => p.page));
    expect(ran).toHaveLength(index().pages.reduce((n, p) => n + p.blocks.length, 0));
  });

  it("captures 50 MB of stdout without crashing and without forwarding it", () => {
    const p = pageOf(index(), "docs/big-output.md");
    expect(p.blocks.map((b) => b.status)).toEqual(["passed", "passed"]);
    expect(r.stdout.length).toBeLessThan(100_000);
    expect(fs.statSync(path.join(dir, "reports/index.json")).size).toBeLessThan(100_000);
  });

  it("kills child processes that outlive the block, detached ones included", () => {
    for (const name of ["child.pid", "daemon.pid"]) {
      const pid = readPid(pids, name);
      expect(pid).toBeGreaterThan(0);
      expect(isAlive(pid), `${name} ${pid} still running`).toBe(false);
    }
  });

  it("proves the claim pages conflict when they share a process", () => {
    // Control: the same two pages' first blocks as one page fail, so their passing above is isolation at work. The
    // page is one of the "run findings" run's (the same registry package), which fails the run.
    const { r: c, index: controlIndex } = findingsRun();
    expect(c.code).toBe(1);
    const f = pageOf(controlIndex(), "docs/both.md").findings;
    const threw = f.filter((x) => x.ruleId === "run/threw");
    expect(threw).toHaveLength(1);
    expect(threw[0]!.message).toContain("global already set by a");
  });
});

describe("secrets never reach the docs", () => {
  it("--update masks a secret that an example printed, in the report and in the rewritten output fence", () => {
    // (A printed secret masked in an output mismatch's diff in every report and on the console, without --update:
    // test/hostile/cases.test.ts, "a secret read from process.env".)
    const { first, afterFirst, update, afterUpdate } = outputRuns();
    expect(pageOf(afterFirst.index, "docs/s.md").findings.map((f) => f.ruleId)).toEqual(["run/output-mismatch"]);
    expect(afterFirst.s).toBe(SECRET_PAGE); // a plain run never writes
    for (const text of [first.stdout, afterFirst.json, update.stdout, afterUpdate.json, afterUpdate.s]) expect(text).not.toContain("supersecret123");
    expect(update.stdout).toContain("docs/s.md: 1 output block updated");
    expect(update.code).toBe(0);
    expect(afterUpdate.s).toContain("```output\n***\n```");
    // The masked fence holds: the page as written passes (the --update run's check of it).
    expect(pageOf(afterUpdate.index, "docs/s.md").findings).toEqual([]);
    expect(pageOf(afterUpdate.index, "docs/s.md").blocks.map((b) => b.status)).toEqual(["passed"]);
  });
});
