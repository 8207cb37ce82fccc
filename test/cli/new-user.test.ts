// Issue 20: where a new user lost trust, each reproduced through the real CLI in a subprocess on a temp project.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { Root } from "mdast";
import remarkParse from "remark-parse";
import { unified } from "unified";
import { visit } from "unist-util-visit";
import type { CheckResult } from "../../src/types.js";
import { describe, expect, it } from "vitest";
import { BIN, REPO, TSCONFIG, fence, makeProject, once, pageOf, readJson, runCli } from "../helpers.js";


function project(files: Record<string, string>): string {
  return makeProject({ "package.json": JSON.stringify({ name: "docs-project", type: "module" }), "tsconfig.json": TSCONFIG, ...files });
}

/** The --update test's page: two blocks that throw (before and after printing) and one that passes, each with output. */
const UPDATE_PAGE = [
  "# Update",
  "",
  fence("ts", 'throw new Error("boom");\nconsole.log("hi");'),
  fence("output", "hi"),
  fence("ts", 'setTimeout(() => { throw new Error("later"); }, 10);\nconsole.log("x");'),
  fence("output", "y"),
  fence("ts", 'console.log("fine");'),
  fence("output", "stale"),
].join("\n");

/**
 * One CLI run with every stage and --update, of one project holding the --update page (docs/a.md), the error-class
 * page (docs/error-class.md, no output fences: --update has nothing to write there) and the run findings' pages (the
 * wrong import name, the extensionless import, the package that is not built). The project is that package (`mylib`,
 * its `exports` pointing at a dist/ not built). Each test asserts on its own page.
 */
const sharedRun = once(() => {
  const dir = project({
    "package.json": JSON.stringify({ name: "mylib", type: "module", exports: { ".": { types: "./dist/index.d.ts", default: "./dist/index.js" } } }),
    "docs/a.md": UPDATE_PAGE,
    "node_modules/schema-lib/package.json": JSON.stringify({ name: "schema-lib", type: "module", main: "index.js" }),
    // Shaped like zod's ZodError: the message is the JSON of the issues and toString() returns only that.
    "node_modules/schema-lib/index.js": [
      "export class ZodError extends Error {",
      "  constructor(issues) { super(JSON.stringify(issues, null, 2)); this.name = 'ZodError'; this.issues = issues; }",
      "  toString() { return this.message; }",
      "}",
      "export function parse(v) { if (typeof v !== 'string') throw new ZodError([{ code: 'invalid_type', expected: 'string' }]); return v; }",
    ].join("\n"),
    "docs/error-class.md": [
      "# A",
      "",
      fence('js expect-throw="ZodError"', "import { parse } from 'schema-lib';\nparse(42);"),
      fence("js", "import { parse } from 'schema-lib';\nparse(42);"),
      fence("js", "class MyError extends Error {}\nthrow new MyError('bad');"),
    ].join("\n"),
    "node_modules/cfg/package.json": JSON.stringify({ name: "cfg", type: "module", exports: { ".": { types: "./index.d.ts", default: "./index.js" } } }),
    "node_modules/cfg/index.js": "export function readConfig() { return 1; }\n",
    "node_modules/cfg/index.d.ts": "export declare function readConfig(): number;\n",
    "node_modules/lib/package.json": JSON.stringify({ name: "lib", version: "1.0.0", main: "index.js" }),
    "node_modules/lib/index.js": "module.exports = 1;\n",
    "node_modules/lib/locale/es.js": "globalThis.locale = 'es';\n",
    "docs/import-name.md": [
      "# A",
      "",
      fence("ts", 'import { readConfg } from "cfg";\nreadConfg();'),
      // check-js=off: the run reports the wrong name (a checked JS block gets TS2724 at the import, as the TS one).
      fence("js check-js=off", 'const x = 1;\nimport { readConfg } from "cfg";\nreadConfg();'),
    ].join("\n"),
    "docs/extensionless.md": ["# A", "", fence("js", 'import "lib/locale/es";\nconsole.log(globalThis.locale);')].join("\n"),
    "docs/not-built.md": [
      "# A",
      "",
      fence("ts", 'import { add } from "mylib";\nadd(1, 2);'),
      fence("ts", 'import { add } from "mylib";\nconsole.log(add(2, 2));'),
      fence("js", 'import { add } from "mylib";\nadd(1, 2);'),
    ].join("\n"),
  });
  const r = runCli(["--update"], dir);
  const after = { "docs/a.md": "", "docs/error-class.md": "" };
  for (const rel of Object.keys(after) as (keyof typeof after)[]) after[rel] = fs.readFileSync(path.join(dir, rel), "utf8");
  const index = readJson<CheckResult>(path.join(dir, "reports/index.json"));
  return { r, after, index, page: (rel: string) => pageOf(index, rel) };
});

describe("--update never rewrites the output of a block that failed", () => {
  it("leaves the fences of a block that threw (before or after printing) alone, says so, and updates the rest", () => {
    const { r, after, index } = sharedRun();
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    expect(after["docs/a.md"]).toBe(UPDATE_PAGE.replace("```output\nstale\n```", "```output\nfine\n```"));
    expect(r.stdout).toContain("docs/a.md:8: output fence left alone: the block failed (run/threw)");
    expect(r.stdout).toContain("docs/a.md:17: output fence left alone: the block failed (run/threw)");
    expect(r.stdout).toContain("docs/a.md: 1 output block updated");
    expect(r.stdout).not.toContain("docs/error-class.md: 1 output block updated");
    const rules = pageOf(index, "docs/a.md").findings.map((f) => f.ruleId);
    expect(rules).toEqual(["run/threw", "run/output-mismatch", "run/threw", "run/output-mismatch"]);
  });
});

describe("reports never clobber docs (--out)", () => {
  const files = () => ({
    "docs/index.md": "# Home\n\nhand-written\n",
    "docs/a.md": "# A\n\n" + fence("ts", 'const n: number = "x";'),
  });

  it("refuses an output directory that holds the pages being checked (exit 2, says why, writes nothing)", () => {
    const dir = project(files());
    for (const out of ["docs", "."]) {
      const r = runCli(["--out", out, "--no-run"], dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`the report directory ${out} holds pages being checked (docs/a.md, docs/index.md)`);
      expect(r.stdout).not.toContain("no errors");
      expect(fs.readFileSync(path.join(dir, "docs/index.md"), "utf8")).toBe("# Home\n\nhand-written\n");
      expect(fs.existsSync(path.join(dir, "index.json"))).toBe(false);
    }
  });

  it("never overwrites a file it did not write, and still rewrites its own reports on the next run", () => {
    const dir = project({ ...files(), "out/index.md": "mine\n" });
    // What is written where, not findings: no stage runs (exit 0 when the reports are written, 2 when refused).
    const args = ["--out", "out", "--no-run", "--no-typecheck", "--no-lint"];
    const r = runCli(args, dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("refusing to write reports: out/index.md already exists and validate-docs did not write it");
    expect(fs.readFileSync(path.join(dir, "out/index.md"), "utf8")).toBe("mine\n");
    expect(fs.existsSync(path.join(dir, "out/index.json"))).toBe(false);

    fs.rmSync(path.join(dir, "out/index.md"));
    for (let i = 0; i < 2; i++) {
      const again = runCli(args, dir);
      expect(again.stderr).toBe("");
      expect(again.code).toBe(0);
      expect(fs.readFileSync(path.join(dir, "out/index.md"), "utf8")).toContain("docs/a.md");
    }
  });
});

describe("packaging", () => {
  // What `npm pack` would publish, without running the build (`--ignore-scripts`); asked once for both tests.
  const packed = once((): string[] => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
    const r = spawnSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
      cwd: REPO, encoding: "utf8", timeout: 120_000,
      env: { ...env, npm_config_offline: "true", npm_config_update_notifier: "false", npm_config_fund: "false" },
    });
    expect(r.status, r.stderr).toBe(0);
    return (JSON.parse(r.stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
  });

  it("ships no install-time lifecycle scripts, and the build runs on pack", () => {
    const files = packed();
    expect(files).toContain("package.json");
    const pkg = readJson<{ scripts: Record<string, string> }>(path.join(REPO, "package.json"));
    for (const hook of ["preinstall", "install", "postinstall", "prepare"]) expect(pkg.scripts[hook], hook).toBeUndefined();
    expect(pkg.scripts.prepack).toBe("npm run build");
  });

  it("the shipped Markdown links (and path mentions) only to files in the repository", () => {
    const bad: string[] = [];
    for (const file of packed().filter((f) => /\.mdx?$/.test(f))) {
      const tree = unified().use(remarkParse).parse(fs.readFileSync(path.join(REPO, file), "utf8")) as Root;
      const targets: { target: string; link: boolean }[] = [];
      visit(tree, (node) => {
        if (node.type === "link" || node.type === "definition") targets.push({ target: node.url, link: true });
        // A path in inline code (`../shared/x.md`) must not point outside the repository either; inside it, it may
        // be an example path.
        if (node.type === "inlineCode" && /^\.\.?\/[^\s]+\.\w+$/.test(node.value)) targets.push({ target: node.value, link: false });
      });
      for (const { target, link } of targets) {
        if (/^[a-z][a-z+.-]*:/i.test(target) || target.startsWith("#")) continue;
        const abs = path.resolve(REPO, path.dirname(file), decodeURI(target.split("#")[0]!));
        const rel = path.relative(REPO, abs);
        const inside = !rel.startsWith("..");
        // An example path in inline code (`../src/x.ts`) lives in a real folder of the repo; `../shared/…` does not.
        const broken = !fs.existsSync(abs) && (link || !fs.existsSync(path.join(REPO, rel.split(path.sep)[0]!)));
        if (!inside || broken) bad.push(`${file}: ${target}`);
      }
    }
    expect(bad).toEqual([]);
  });
});

/**
 * A page whose fence has a backtick in its info string: two warnings (the fence is text, and its would-be closing
 * line opens a fence that is never closed), no error. Checked once with `--max-warnings 2` (within the limit, so
 * the run is what a plain run reports); the --max-warnings test below reuses it.
 */
const backtickRun = once(() => {
  const page = ["# A", "", "```ts title=`setup.ts`", 'const n: number = "oops";', "```", "", "Inline ```js `x` ``` is fine.", ""].join("\n");
  const dir = project({ "docs/a.md": page });
  const r = runCli(["--no-run", "--max-warnings", "2"], dir);
  return { dir, r, findings: readJson<CheckResult>(path.join(dir, "reports/index.json")).pages[0]!.findings };
});

describe("a block never vanishes silently", () => {
  it("warns at a fence whose info string contains a backtick (CommonMark reads it as text)", () => {
    const { r, findings } = backtickRun();
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("docs/a.md:3:1 warning extract/not-a-fence Not read as a code fence: the info string contains a backtick");
    expect(findings.map((f) => `${f.place.start.line} ${f.ruleId}`)).toEqual([
      "3 extract/not-a-fence",
      // The would-be closing line opens a fence of its own, which swallows the rest of the page: said too.
      "5 extract/unterminated-fence",
    ]);
  });
});

describe("the error class is kept", () => {
  it("expect-throw matches the class of an error whose text is JSON, and run/threw names the class", () => {
    const { r, after, index } = sharedRun();
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    expect(pageOf(index, "docs/error-class.md").findings.map((f) => f.ruleId)).toEqual(["run/threw", "run/threw"]);
    const lines = r.stdout.split("\n").filter((l) => l.startsWith("docs/error-class.md"));
    expect(lines.map((l) => l.replace(/\. A reader.*/, ""))).toEqual([
      'docs/error-class.md:10:1 error run/threw Uncaught ZodError: [ { "code": "invalid_type", "expected": "string" } ]',
      "docs/error-class.md:15:7 error run/threw Uncaught MyError: bad",
    ]);
    expect(after["docs/error-class.md"]).not.toContain("```output");
  });
});

function git(cwd: string, ...args: string[]): string {
  const r = spawnSync("git", ["-c", "user.email=docs@example.com", "-c", "user.name=docs", ...args], { cwd, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
  return r.stdout + r.stderr;
}

const pagesChecked = (dir: string): string[] =>
  readJson(path.join(dir, "reports/index.json")).pages.map((p: { page: string }) => p.page);

describe("--changed follows the library's own changes", () => {
  // A library documented by its own pages: one imports it by its package name (self-reference through
  // `exports`), one by a relative path, one imports nothing local.
  const lib = () => {
    const dir = makeProject({
      "package.json": JSON.stringify({ name: "mylib", type: "module", exports: { ".": "./src/index.ts" } }),
      "tsconfig.json": JSON.stringify({ compilerOptions: { ...JSON.parse(TSCONFIG).compilerOptions, allowImportingTsExtensions: true, noEmit: true } }),
      ".gitignore": "reports\n",
      "src/index.ts": "export function add(a: number, b: number): number {\n  return a + b;\n}\n",
      "docs/by-name.md": "# A\n\n" + fence("ts", 'import { add } from "mylib";\nconst n: number = add(1, 2);'),
      "docs/by-path.md": "# B\n\n" + fence("ts", 'import { add } from "../src/index.ts";\nconst n: number = add(1, 2);'),
      "docs/plain.md": "# C\n\n" + fence("ts", "const n: number = 3;"),
    });
    git(dir, "init", "-q", "-b", "main");
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "init");
    return dir;
  };

  it("re-checks pages that import a changed local module, and every page when tsconfig, package.json or the lockfile changed", () => {
    const dir = lib();
    fs.writeFileSync(path.join(dir, "src/index.ts"), "export function sum(a: number, b: number): number {\n  return a + b;\n}\n");
    const broken = runCli(["--changed", "HEAD", "--no-run"], dir);
    expect(broken.stderr).toBe("");
    expect(broken.code).toBe(1);
    expect(pagesChecked(dir)).toEqual(["docs/by-name.md", "docs/by-path.md"]);
    expect(broken.stdout).toContain("docs/by-name.md:4:10 error ts2305");
    expect(broken.stdout).toContain("docs/by-path.md:4:10 error ts2305");
    git(dir, "checkout", "-q", "--", "src");

    for (const [file, edit] of [
      ["tsconfig.json", (t: string) => t.replace('"strict":true', '"strict":true,"noImplicitReturns":true')],
      ["package.json", (t: string) => t.replace('"type":"module"', '"type":"module","description":"x"')],
      ["package-lock.json", () => "{}\n"],
    ] as const) {
      const abs = path.join(dir, file);
      const before = fs.existsSync(abs) ? fs.readFileSync(abs, "utf8") : undefined;
      fs.writeFileSync(abs, edit(before ?? ""));
      // Which pages --changed selects is asserted, not their findings: no type-check or lint (≈ 0.5 s of CPU each).
      const r = runCli(["--changed", "HEAD", "--no-run", "--no-typecheck", "--no-lint"], dir);
      expect(r.code, file).toBe(0);
      expect(pagesChecked(dir), file).toEqual(["docs/by-name.md", "docs/by-path.md", "docs/plain.md"]);
      if (before === undefined) fs.rmSync(abs);
      else fs.writeFileSync(abs, before);
    }
  });

  it("the pre-push hook compares with the remote branch when origin/HEAD is unset", () => {
    const dir = lib();
    const remote = makeProject({});
    git(remote, "init", "-q", "--bare");
    git(dir, "remote", "add", "origin", remote);
    expect(runCli(["init-hook", "--command", `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} --no-color --no-run`], dir).code).toBe(0);
    // The first push sets the upstream. Without the hook: with no base to compare with, the hook runs the command
    // without --changed (a full check), which test/templates/hook.test.ts asserts through the installed hook.
    git(dir, "push", "-q", "--no-verify", "-u", "origin", "main");
    expect(spawnSync("git", ["rev-parse", "--verify", "--quiet", "origin/HEAD"], { cwd: dir }).status).not.toBe(0);

    fs.appendFileSync(path.join(dir, "docs/plain.md"), "\n" + fence("ts", 'const s: number = "x";'));
    git(dir, "commit", "-q", "-am", "break a page");
    const push = spawnSync("git", ["push", "origin", "main"], { cwd: dir, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    expect(push.status).not.toBe(0);
    expect(push.stdout + push.stderr).toContain("docs/plain.md:8:7 error ts2322");
    expect(pagesChecked(dir)).toEqual(["docs/plain.md"]);
  });
});

describe("CLI conventions", () => {
  it("an unknown flag is named as typed, with a did-you-mean", () => {
    const dir = project({ "docs/a.md": "# A\n" });
    for (const [typed, guess] of [["--no-rnu", "--no-run"], ["--tiemout=5", "--timeout"]] as const) {
      const r = runCli([typed], dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`unknown option \`${typed.split("=")[0]}\``);
      expect(r.stderr).toContain(`did you mean \`${guess}\`?`);
    }
  });

  it("finds the project root from a subdirectory, says where reports went, and a one-page run keeps the other pages' reports", () => {
    const dir = project({
      "docs/a.md": "# A\n\n" + fence("ts", "const a: number = 1;"),
      "docs/b.md": "# B\n\n" + fence("ts", "const b: number = 2;"),
    });
    const sub = path.join(dir, "docs");
    // Where the root is found and the reports go, not findings: no stage runs (two valid blocks, exit 0 either way).
    const all = runCli(["--no-run", "--no-typecheck", "--no-lint"], sub);
    expect(all.stderr).toBe("");
    expect(all.code).toBe(0);
    expect(all.stdout).toContain("2 pages");
    expect(all.stdout).toContain(`Reports: ${path.join("..", "reports", "index.md")}`);
    expect(fs.existsSync(path.join(dir, "reports/index.md"))).toBe(true);
    expect(fs.existsSync(path.join(sub, "reports"))).toBe(false);

    const one = runCli(["--no-run", "--no-typecheck", "--no-lint", "a.md"], sub);
    expect(one.code).toBe(0);
    expect(readJson(path.join(dir, "reports/index.json")).pages.map((p: { page: string }) => p.page)).toEqual(["docs/a.md"]);
    expect(fs.existsSync(path.join(dir, "reports/pages/docs/b.md.json"))).toBe(true);
  });
});

describe("--max-warnings and --bail", () => {
  it("--max-warnings N fails the run (exit 1) on more than N warnings, and rejects a bad N (exit 2)", () => {
    // A backtick in the info string gives two warnings (not-a-fence, then the unterminated fence after it).
    const { dir, r: within } = backtickRun();
    expect(within.stderr).toBe("");
    expect(within.code).toBe(0);
    const over = runCli(["--no-run", "--max-warnings", "1"], dir);
    expect(over.code).toBe(1);
    expect(over.stderr).toContain("validate-docs: 2 warnings, more than --max-warnings 1 allows");
    const bad = runCli(["--no-run", "--max-warnings", "many"], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--max-warnings");
  });

  it("--bail starts no further page after the first failure, and accounts for what did not run", () => {
    const dir = project({
      "docs/a.md": "# A\n\n" + fence("ts", "throw new Error('first failure');"),
      "docs/b.md": "# B\n\n" + fence("ts", "console.log('b');"),
      "docs/c.md": "# C\n\n" + fence("ts", "console.log('c');"),
    });
    const r = runCli(["--bail", "--no-typecheck", "--no-lint", "--concurrency", "1"], dir);
    expect(r.code).toBe(1);
    const blocks = readJson(path.join(dir, "reports/index.json")).pages.flatMap((p: { blocks: { id: string; status: string; skipReason?: string }[] }) => p.blocks);
    expect(blocks.map((b: { id: string; status: string; skipReason?: string }) => `${b.id} ${b.status} ${b.skipReason ?? ""}`.trim())).toEqual([
      "docs/a.md#L3-L5 failed",
      "docs/b.md#L3-L5 skipped not run: --bail stopped the run at the first error",
      "docs/c.md#L3-L5 skipped not run: --bail stopped the run at the first error",
    ]);
    // Without --bail the pages after a first failure run: test/cli/incident.test.ts (the buggy SDK's quickstart fails
    // first at --concurrency 1 in the reversed order, and every block of the two pages after it runs).
  });
});

describe("run findings: one problem, one finding, no leaked paths", () => {
  // Pages of the shared run (every stage: one problem is one finding across them).
  it("a wrong import name is one finding at the import, hints name no temp file or tool source", () => {
    const { r, page } = sharedRun();
    expect(r.code).toBe(1);
    const findings = page("docs/import-name.md").findings;
    expect(findings.map((f) => `${f.place.start.line}:${f.place.start.column} ${f.ruleId}`)).toEqual(["4:10 ts2724", "10:10 run/threw"]);
    expect(findings[1]!.message).not.toContain("outside the block");
    for (const f of findings) {
      expect(f.hint ?? "").not.toContain(".validate-docs");
      expect(f.hint ?? "").not.toContain("src/runtime");
    }
  });

  it("a package that is not built is said once per page, and the blocks it stopped are not passed", () => {
    const { r, page: pageIn } = sharedRun();
    expect(r.code).toBe(1);
    const page = pageIn("docs/not-built.md");
    expect(page.findings.map((f) => f.ruleId)).toEqual(["package-not-built"]);
    expect(page.findings[0]!.message).toContain("The package `mylib` is not built: its package.json points at `./dist/index.d.ts`");
    expect(page.blocks.map((b) => b.status)).toEqual(["failed", "skipped", "skipped"]);
    expect(page.blocks[1]!.skipReason).toBe("not checked: the package `mylib` is not built (see line 4)");
  });

  it("an extensionless import of a built package's file is Node's error, not a package that is not built", () => {
    const { r, page } = sharedRun();
    expect(r.code).toBe(1);
    const findings = page("docs/extensionless.md").findings;
    expect(findings.map((f) => f.ruleId)).toEqual(["run/threw"]);
    expect(findings[0]!.message).toContain("Cannot find module");
    expect(findings[0]!.message).not.toContain("not built");
  });
});
