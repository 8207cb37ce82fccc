// The foundation end to end: real temp projects, the real CLI in a subprocess, real report files.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { makeProject, once, readJson, runCli, TSCONFIG } from "../helpers.js";

const GUIDE = [
  "# Guide", //                                              1
  "", //                                                     2
  "Install it, then:", //                                    3
  "", //                                                     4
  "- Step one:", //                                          5
  "", //                                                     6
  "  ```ts", //                                              7
  "  interface InitOptions { apiKey: string }", //          8
  "  function init(o: InitOptions) { return o; }", //       9
  "  init({ apiKey: 'k', retries: 3 });", //               10
  "  ```", //                                                11
  "", //                                                     12
  "```bash", //                                              13
  "npm i thing", //                                          14
  "```", //                                                  15
].join("\n");

describe("validate-docs CLI on a temp project", () => {
  it("reports a type error at the page line:column, exits 1 and writes per-page reports", () => {
    const dir = makeProject({
      "tsconfig.json": TSCONFIG,
      "docs/guide.md": GUIDE,
      "docs/clean.md": "# Clean\n\n```ts\nconst x: number = 1;\nconsole.log(x);\n```\n",
    });
    const r = runCli(["--no-run"], dir);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    // 'retries' starts at column 23 of page line 10 (2 spaces of list indent + `init({ apiKey: 'k', `).
    expect(r.stdout).toContain("docs/guide.md:10:23 error ts2353 Object literal may only specify known properties");
    expect(r.stdout).toMatch(/1 error in 1 of 2 pages/);

    const index = readJson(path.join(dir, "reports/index.json"));
    expect(index.version).toBe(1);
    expect(index.summary).toMatchObject({ pages: 2, blocks: 2, failed: 1, passed: 1, errors: 1 });
    const page = readJson(path.join(dir, "reports/pages/docs/guide.md.json"));
    expect(page.page).toBe("docs/guide.md");
    expect(page.counts).toEqual({ fences: 2, checked: 1, skipped: 0, otherLanguage: 1, outputs: 0 });
    expect(page.blocks).toEqual([
      {
        id: "docs/guide.md#L7-L11",
        lang: "ts",
        line: 7,
        status: "failed",
        checks: ["typecheck", "lint"],
        level: "typecheck",
        stop: { reason: "stage-off", detail: "the run stage is turned off" },
      },
    ]);
    expect(page.findings).toHaveLength(1);
    expect(page.findings[0]).toMatchObject({
      ruleId: "ts2353",
      stage: "typecheck",
      severity: "error",
      blockId: "docs/guide.md#L7-L11",
      place: { start: { line: 10, column: 23 }, end: { line: 10, column: 30 } },
    });
    expect(fs.readFileSync(path.join(dir, "reports/pages/docs/guide.md.md"), "utf8")).toContain("`ts2353`");
    expect(fs.readFileSync(path.join(dir, "reports/index.md"), "utf8")).toContain("docs/guide.md");

    const quiet = runCli(["--no-run", "-q"], dir);
    expect(quiet.code).toBe(1);
    const lines = quiet.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^docs\/guide\.md:10:23 error ts2353 /);
    expect(lines[1]).toMatch(/1 error in 1 of 2 pages/);
  });

  it("exits 0 on clean docs and removes stale page reports from an earlier run", () => {
    const dir = makeProject({
      "tsconfig.json": TSCONFIG,
      "docs/a.md": "```ts\nconst a: string = 'a';\n```\n",
      "docs/b.md": "```ts\nconst b: string = 'b';\n```\n",
    });
    expect(runCli(["--no-run"], dir).code).toBe(0);
    expect(fs.existsSync(path.join(dir, "reports/pages/docs/b.md.json"))).toBe(true);
    fs.rmSync(path.join(dir, "docs/b.md"));
    const r = runCli(["--no-run"], dir);
    expect(r.code).toBe(0);
    expect(fs.existsSync(path.join(dir, "reports/pages/docs/b.md.json"))).toBe(false);
    expect(fs.existsSync(path.join(dir, "reports/pages/docs/a.md.json"))).toBe(true);
  });

  // Skipped fences and imports are pages of one project (the imports page's tsconfig paths and node_modules change
  // nothing for the other page), checked in one run; each test reads its own page.
  const pagesRun = once(() => {
    const dir = makeProject({
      "tsconfig.json": JSON.stringify({
        compilerOptions: { ...JSON.parse(TSCONFIG).compilerOptions, baseUrl: ".", paths: { "@lib/*": ["src/lib/*"] } },
      }),
      "docs/s.md": [
        "<!-- validate-docs: skip reason=\"needs a live API key\" -->",
        "```ts",
        "const k: number = 'not checked';",
        "```",
        "",
        "```ts skip",
        "const j = 1;",
        "```",
      ].join("\n"),
      "node_modules/acme/package.json": JSON.stringify({ name: "acme", version: "1.0.0", types: "index.d.ts", main: "index.js" }),
      "node_modules/acme/index.d.ts": "export declare function greet(name: string): string;\n",
      "node_modules/acme/index.js": "exports.greet = (n) => 'hi ' + n;\n",
      "src/lib/math.ts": "export const double = (n: number) => n * 2;\n",
      "docs/imports.md": [
        "```ts",
        "import { greet } from 'acme';",
        "import { double } from '@lib/math';",
        "const s: string = greet('x');",
        "const n: string = double(2);",
        "```",
      ].join("\n"),
    });
    return { r: runCli(["--no-run"], dir), page: (rel: string) => readJson(path.join(dir, `reports/pages/${rel}.json`)) };
  });

  it("accounts for every fence: skipped blocks carry their reason, skip without reason is a finding", () => {
    const { r, page: report } = pagesRun();
    expect(r.code).toBe(1);
    const page = report("docs/s.md");
    expect(page.blocks[0]).toMatchObject({ status: "skipped", skipReason: "needs a live API key", checks: [] });
    expect(page.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(["extract/skip-without-reason"]);
    // A skip without a reason is not a skip: that block fails (and is not counted as skipped).
    expect(page.blocks[1]).toMatchObject({ status: "failed", checks: [] });
    expect(page.counts).toMatchObject({ fences: 2, checked: 0, skipped: 1 });
  });

  it("resolves imports from the project's node_modules and tsconfig paths, as a file at the page would", () => {
    const { r, page: report } = pagesRun();
    expect(r.code).toBe(1);
    const page = report("docs/imports.md");
    expect(page.findings).toHaveLength(1);
    expect(page.findings[0]).toMatchObject({ ruleId: "ts2322", place: { start: { line: 5, column: 7 } } });
  });
});

describe("bad input gets a clear message, and the other pages are still reported", () => {
  it("disable works for type-check and run ids too, kept as info with the author's reason", () => {
    const dir = makeProject({
      "tsconfig.json": TSCONFIG,
      "docs/a.md": [
        '<!-- validate-docs: disable ts2322,run/threw reason="shows the error on purpose" -->',
        "```ts",
        "const n: number = 'x';",
        "throw new Error('boom');",
        "```",
      ].join("\n"),
    });
    const r = runCli([], dir);
    expect(r.code).toBe(0);
    const page = readJson(path.join(dir, "reports/pages/docs/a.md.json"));
    expect(page.findings.map((f: { ruleId: string; severity: string; message: string }) => [f.ruleId, f.severity, f.message.startsWith("disabled (shows the error on purpose)")])).toEqual([
      ["ts2322", "info", true],
      ["run/threw", "info", true],
    ]);
  });

  it("a tsconfig with a syntax error: exit 2 with file:line, no stack trace", () => {
    const dir = makeProject({ "tsconfig.json": '{\n  "compilerOptions": {\n    "strict": true,,\n  }\n}\n', "docs/a.md": "```ts\nconst a = 1;\n```\n" });
    const r = runCli(["--no-run"], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/tsconfig\.json:3:\d+/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("an unknown CLI flag and a bad option value: exit 2 naming the option", () => {
    const dir = makeProject({ "docs/a.md": "# nothing\n" });
    const unknown = runCli(["--frobnicate"], dir);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("--frobnicate");
    const badValue = runCli(["--timeout", "soon"], dir);
    expect(badValue.code).toBe(2);
    expect(badValue.stderr).toContain("timeout");
    const badWarn = runCli(["--warnings", "loud"], dir);
    expect(badWarn.code).toBe(2);
    expect(badWarn.stderr).toContain("warnings");
  });

  it("a bad config file: unknown option and JSON syntax error, each exit 2 with the place", () => {
    const typo = makeProject({ "validate-docs.config.json": '{ "timeot": 5 }', "docs/a.md": "# a\n" });
    const r1 = runCli([], typo);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toContain("unknown option `timeot`");
    expect(r1.stderr).toContain("did you mean `timeout`");
    const several = makeProject({ "validate-docs.config.json": '{ "timeot": 5, "warnings": "loud", "reporters": ["htm"] }', "docs/a.md": "# a\n" });
    const r3 = runCli([], several);
    expect(r3.code).toBe(2);
    expect(r3.stderr).toContain("3 problems in the configuration");
    for (const part of ["`timeot`", "`warnings`", "`htm`"]) expect(r3.stderr).toContain(part);
    const broken = makeProject({ "validate-docs.config.json": '{\n  "timeout": 5,\n}\n', "docs/a.md": "# a\n" });
    const r2 = runCli([], broken);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/validate-docs\.config\.json: 3:1/);
  });

  it("a TypeScript config with defineConfig-shaped options is loaded, and CLI flags override it", () => {
    const dir = makeProject({
      "tsconfig.json": TSCONFIG,
      "validate-docs.config.ts": "const config: { include: string[]; out: string } = { include: ['guides/**/*.md'], out: 'out-dir' };\nexport default config;\n",
      "guides/g.md": "```ts\nconst g: number = 'g';\n```\n",
      "docs/ignored.md": "```ts\nconst i: number = 'i';\n```\n",
    });
    const r = runCli(["--no-run"], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("guides/g.md:2:7");
    expect(r.stdout).not.toContain("docs/ignored.md");
    expect(fs.existsSync(path.join(dir, "out-dir/index.json"))).toBe(true);
    const r2 = runCli(["--no-run", "--out", "other"], dir);
    expect(r2.code).toBe(1);
    expect(fs.existsSync(path.join(dir, "other/index.json"))).toBe(true);
  });

  it("--help documents every option", () => {
    const r = runCli(["--help"], process.cwd());
    expect(r.code).toBe(0);
    for (const flag of ["--root", "--config", "--tsconfig", "--out", "--no-typecheck", "--no-run", "--no-lint", "--check-js", "--timeout", "--concurrency", "--memory-limit", "--warnings", "--reporter", "--update", "--fix", "--changed", "--quiet", "--version"]) {
      expect(r.stdout).toContain(flag);
    }
  });
});
