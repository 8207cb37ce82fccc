// Bad input through the real CLI: each problem gets a clear message (file:line, what to do), other pages are still
// reported, and nothing is reported as passed that was not checked. (Split from foundation.test.ts so the two run
// in parallel; the config and CLI-option errors stay there.)
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, makeProject, once, readJson, runCli, TSCONFIG } from "../helpers.js";
import { spawnSync } from "node:child_process";

describe("bad input gets a clear message, and the other pages are still reported", () => {
  // The bad pages and the page of "a block no stage checked" share one project and one run (type-check only: the
  // latter needs lint and run off, and nothing else here is about them); each test reads its own page.
  // A large page (past the 256 KB from which the parser's guard scans a page, src/extract/parse.ts LARGE_PAGE), its
  // block found at its line: test/hostile/cases.test.ts's 5 MB paragraph, through the CLI; a 5 MB page:
  // test/extract/extract.test.ts.
  const checkedOnly = once(() => {
    const dir = makeProject({
      "tsconfig.json": TSCONFIG,
      "docs/binary.md": Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x01, 0xff]),
      "docs/open.md": "# Open\n\n```ts\nconst open: number = 'x';\n",
      "docs/good.md": "```ts\nconst good = 1;\n```\n",
      "docs/no-check.md": "```js check-js=off\nconsole.log(1);\n```\n\n```ts\nconst a = 1;\n```\n",
    });
    return { r: runCli(["--no-run", "--no-lint"], dir), dir };
  });

  it("a binary file named .md and an unterminated fence", () => {
    const { r, dir } = checkedOnly();
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("");
    const index = readJson(path.join(dir, "reports/index.json"));
    const byPage = Object.fromEntries(index.pages.map((p: { page: string }) => [p.page, p]));
    expect(Object.keys(byPage).sort()).toEqual(["docs/binary.md", "docs/good.md", "docs/no-check.md", "docs/open.md"]);
    expect(byPage["docs/binary.md"].findings[0]).toMatchObject({ ruleId: "extract/binary-file", place: { start: { line: 1, column: 1 } } });
    const open = byPage["docs/open.md"].findings.map((f: { ruleId: string }) => f.ruleId);
    expect(open).toContain("extract/unterminated-fence");
    expect(open).toContain("ts2322");
    expect(byPage["docs/good.md"].blocks[0].status).toBe("passed");
  });

  it("an unreadable page named on the command line (a dangling symlink): exit 2 naming it", () => {
    const dir = makeProject({ "tsconfig.json": TSCONFIG, "docs/good.md": "```ts\nconst good = 1;\n```\n" });
    fs.symlinkSync(path.join(dir, "nowhere.md"), path.join(dir, "docs/dangling.md"));
    const r = runCli(["--no-run", "docs/good.md", "docs/dangling.md"], dir);
    // An explicitly named page that cannot be read is a usage error naming it.
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("docs/dangling.md");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("a page path outside the root: exit 2 naming it, no stack trace", () => {
    const dir = makeProject({ "docs/a.md": "# a\n" });
    const outside = makeProject({ "x.md": "# x\n" });
    const r = runCli(["--root", dir, path.join(outside, "x.md")], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("is outside the root");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  // Two pages that fail in different ways and a page whose failures are disabled share one project and one full CLI
  // run; each test reads its own page.
  const failing = once(() => {
    const dir = makeProject({
      "tsconfig.json": TSCONFIG,
      "docs/disabled.md": [
        '<!-- validate-docs: disable ts2322,run/threw reason="shows the error on purpose" -->',
        "```ts",
        "const n: number = 'x';",
        "throw new Error('boom');",
        "```",
      ].join("\n"),
      // The third block uses what the exiting block declares: the rest of the page runs on in a fresh process, without it.
      "docs/exit.md": "```ts\nconsole.log('one');\n```\n\n```ts\nconst code = 0;\n(globalThis as any).process.exit(code);\n```\n\n```ts\nconsole.log('three', code);\n```\n",
      "docs/a.md": '```js\nconst x = ;\n```\n\n```ts\nimport { a } from "not-installed-pkg";\nconsole.log(a);\n```\n',
    });
    return { r: runCli([], dir), page: (rel: string) => readJson(path.join(dir, `reports/pages/${rel}.json`)) };
  });

  it("a block that never ran because an earlier block exited is skipped with that reason, not passed", () => {
    const { r, page: report } = failing();
    expect(r.code).toBe(1);
    const page = report("docs/exit.md");
    expect(page.blocks.map((b: { status: string }) => b.status)).toEqual(["passed", "failed", "skipped"]);
    expect(page.blocks[2].skipReason).toMatch(/^not run/);
    expect(page.blocks[2].checks).not.toContain("run");
  });

  it("disable works for type-check and run ids too, kept as info with the author's reason", () => {
    const { r, page: report } = failing();
    const page = report("docs/disabled.md");
    expect(page.findings.map((f: { ruleId: string; severity: string; message: string }) => [f.ruleId, f.severity, f.message.startsWith("disabled (shows the error on purpose)")])).toEqual([
      ["ts2322", "info", true],
      ["run/threw", "info", true],
    ]);
    // The run fails on the other pages only: this page passes, with nothing on the console as an error or a warning.
    expect(page.blocks.map((b: { status: string }) => b.status)).toEqual(["passed"]);
    expect(r.stdout).toMatch(/^docs\/a\.md:\d+:\d+ error /m);
    expect(r.stdout).not.toMatch(/^docs\/disabled\.md:\d+:\d+ (error|warning) /m);
  });

  it("no pages found with the defaults: exit 2 (a gate that checked nothing must not pass)", () => {
    const dir = makeProject({ "src/index.ts": "export {};\n" });
    const r = runCli([], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no pages found");
  });

  it("an unbuilt install (no dist/): exit 2 with what to do, not a stack trace", () => {
    const dir = makeProject({ "package.json": JSON.stringify({ type: "module" }), "bin/validate-docs.js": fs.readFileSync(BIN) });
    const r = spawnSync(process.execPath, [path.join(dir, "bin/validate-docs.js"), "--version"], { encoding: "utf8" });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("not built");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("one problem, one finding: a syntax error or a missing package is reported by the checker only", () => {
    const { r, page: report } = failing();
    expect(r.code).toBe(1);
    const page = report("docs/a.md");
    expect(page.findings.map((f: { ruleId: string; place: { start: { line: number; column: number } } }) => `${f.ruleId}@${f.place.start.line}:${f.place.start.column}`)).toEqual([
      "ts1109@2:11",
      "ts2307@6:19",
    ]);
    expect(r.stdout).not.toContain(".validate-docs");
  });

  it("a block no stage checked is skipped with that reason, never passed", () => {
    const { dir } = checkedOnly();
    const page = readJson(path.join(dir, "reports/pages/docs/no-check.md.json"));
    // (The shared run fails on the other pages; this page has no finding.)
    expect(page.findings).toEqual([]);
    expect(page.blocks.map((b: { status: string; checks: string[] }) => [b.status, b.checks])).toEqual([
      ["skipped", []],
      ["passed", ["typecheck"]],
    ]);
    expect(page.blocks[0].skipReason).toMatch(/^no check applied/);
  });

  it("a bad rule in the config stops the run before any example runs", () => {
    const dir = makeProject({
      "tsconfig.json": TSCONFIG,
      "validate-docs.config.json": JSON.stringify({ rules: { "no-init-instrumentor": "error" } }),
      "docs/a.md": "```ts\nconst fs = await import('node:fs');\nfs.writeFileSync('" + "RAN" + "', 'x');\n```\n",
    });
    const page = fs.readFileSync(path.join(dir, "docs/a.md"), "utf8").replace("RAN", path.join(dir, "ran.txt"));
    fs.writeFileSync(path.join(dir, "docs/a.md"), page);
    const r = runCli([], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("did you mean");
    expect(fs.existsSync(path.join(dir, "ran.txt"))).toBe(false);
    expect(fs.existsSync(path.join(dir, ".validate-docs"))).toBe(false);
  });
});
