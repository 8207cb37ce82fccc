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
  // One project, checked once (quiet): the type error page, a clean page, skipped fences and imports (the imports
  // page's tsconfig paths and node_modules change nothing for the other pages); each test reads its own page. The
  // reports are read right after the run: the last test deletes the failing pages and runs again.
  const project = once(() => {
    const dir = makeProject({
      "tsconfig.json": JSON.stringify({
        compilerOptions: { ...JSON.parse(TSCONFIG).compilerOptions, baseUrl: ".", paths: { "@lib/*": ["src/lib/*"] } },
      }),
      "docs/guide.md": GUIDE,
      "docs/clean.md": "# Clean\n\n```ts\nconst x: number = 1;\nconsole.log(x);\n```\n",
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
    const r = runCli(["--no-run", "-q"], dir);
    const reports = path.join(dir, "reports");
    const pages = new Map<string, any>(["docs/guide.md", "docs/clean.md", "docs/s.md", "docs/imports.md"].map((rel) => [rel, readJson(path.join(reports, `pages/${rel}.json`))]));
    return {
      dir,
      r,
      index: readJson(path.join(reports, "index.json")),
      indexMd: fs.readFileSync(path.join(reports, "index.md"), "utf8"),
      guideMd: fs.readFileSync(path.join(reports, "pages/docs/guide.md.md"), "utf8"),
      page: (rel: string) => pages.get(rel),
    };
  });

  it("reports a type error at the page line:column, exits 1 and writes per-page reports; quiet prints findings and the summary only", () => {
    const { r, index, indexMd, guideMd, page: report } = project();
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    // Quiet: one line per finding (3 pages have one each) and the summary. 'retries' starts at column 23 of page
    // line 10 (2 spaces of list indent + `init({ apiKey: 'k', `).
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(4);
    expect(lines.filter((l) => l.startsWith("docs/guide.md"))).toEqual([expect.stringMatching(/^docs\/guide\.md:10:23 error ts2353 Object literal may only specify known properties/)]);
    expect(lines.slice(0, 3).every((l) => /^docs\/\S+\.md:\d+:\d+ error /.test(l))).toBe(true);
    expect(lines[3]).toMatch(/3 errors in 3 of 4 pages/);

    expect(index.version).toBe(1);
    expect(index.summary).toMatchObject({ pages: 4, failed: 3, passed: 1, errors: 3 });
    const page = report("docs/guide.md");
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
    expect(report("docs/clean.md")).toMatchObject({ findings: [], blocks: [{ status: "passed" }] });
    expect(guideMd).toContain("`ts2353`");
    expect(indexMd).toContain("docs/guide.md");
  });

  it("accounts for every fence: skipped blocks carry their reason, skip without reason is a finding", () => {
    const page = project().page("docs/s.md");
    expect(page.blocks[0]).toMatchObject({ status: "skipped", skipReason: "needs a live API key", checks: [] });
    expect(page.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(["extract/skip-without-reason"]);
    // A skip without a reason is not a skip: that block fails (and is not counted as skipped).
    expect(page.blocks[1]).toMatchObject({ status: "failed", checks: [] });
    expect(page.counts).toMatchObject({ fences: 2, checked: 0, skipped: 1 });
  });

  it("resolves imports from the project's node_modules and tsconfig paths, as a file at the page would", () => {
    const page = project().page("docs/imports.md");
    expect(page.findings).toHaveLength(1);
    expect(page.findings[0]).toMatchObject({ ruleId: "ts2322", place: { start: { line: 5, column: 7 } } });
  });

  it("exits 0 on clean docs and removes stale page reports from an earlier run", () => {
    const { dir } = project();
    for (const rel of ["docs/guide.md", "docs/s.md", "docs/imports.md"]) fs.rmSync(path.join(dir, rel));
    const r = runCli(["--no-run"], dir);
    expect(r.code).toBe(0);
    for (const rel of ["docs/guide.md", "docs/s.md", "docs/imports.md"]) {
      expect(fs.existsSync(path.join(dir, `reports/pages/${rel}.json`))).toBe(false);
      expect(fs.existsSync(path.join(dir, `reports/pages/${rel}.md`))).toBe(false);
    }
    expect(fs.existsSync(path.join(dir, "reports/pages/docs/clean.md.json"))).toBe(true);
    expect(readJson(path.join(dir, "reports/index.json")).summary).toMatchObject({ pages: 1, blocks: 1, passed: 1, errors: 0 });
  });
});

describe("bad input gets a clear message, and the other pages are still reported", () => {
  // (disable for type-check and run ids: test/cli/bad-input.test.ts, a page of its full run.)
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
    // Two bad values in one run: each is named (the CLI reports every problem of the flags at once).
    const badValues = runCli(["--timeout", "soon", "--warnings", "loud"], dir);
    expect(badValues.code).toBe(2);
    expect(badValues.stderr).toMatch(/option `timeout`: "soon"/);
    expect(badValues.stderr).toMatch(/option `warnings`: "loud"/);
  });

  it("a bad config file: unknown option and JSON syntax error, each exit 2 with the place", () => {
    const several = makeProject({ "validate-docs.config.json": '{ "timeot": 5, "warnings": "loud", "reporters": ["htm"] }', "docs/a.md": "# a\n" });
    const r3 = runCli([], several);
    expect(r3.code).toBe(2);
    expect(r3.stderr).toContain("3 problems in the configuration");
    expect(r3.stderr).toContain("unknown option `timeot`");
    expect(r3.stderr).toContain("did you mean `timeout`");
    for (const part of ["`timeot`", "`warnings`", "`htm`"]) expect(r3.stderr).toContain(part);
    const broken = makeProject({ "validate-docs.config.json": '{\n  "timeout": 5,\n}\n', "docs/a.md": "# a\n" });
    const r2 = runCli([], broken);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/validate-docs\.config\.json: 3:1/);
  });

  it("a TypeScript config with defineConfig-shaped options is loaded, and CLI flags override it", () => {
    // The pages' finding is found at extraction (a skip without a reason), so no stage needs to run: what is
    // checked is which pages the config's include selects and where the reports go.
    const dir = makeProject({
      "validate-docs.config.ts": "const config: { include: string[]; out: string } = { include: ['guides/**/*.md'], out: 'out-dir' };\nexport default config;\n",
      "guides/g.md": "# G\n\n```ts skip\nconst g: number = 'g';\n```\n",
      "docs/ignored.md": "```ts skip\nconst i: number = 'i';\n```\n",
    });
    const stagesOff = ["--no-typecheck", "--no-lint", "--no-run"];
    const r = runCli(stagesOff, dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("guides/g.md:3:1 error extract/skip-without-reason");
    expect(r.stdout).not.toContain("docs/ignored.md");
    expect(fs.existsSync(path.join(dir, "out-dir/index.json"))).toBe(true);
    const r2 = runCli([...stagesOff, "--out", "other"], dir);
    expect(r2.code).toBe(1);
    expect(fs.existsSync(path.join(dir, "other/index.json"))).toBe(true);
    expect(readJson(path.join(dir, "other/index.json")).pages.map((p: { page: string }) => p.page)).toEqual(["guides/g.md"]);
  });

  it("--help documents every option", () => {
    const r = runCli(["--help"], process.cwd());
    expect(r.code).toBe(0);
    for (const flag of ["--root", "--config", "--tsconfig", "--out", "--no-typecheck", "--no-run", "--no-lint", "--check-js", "--timeout", "--concurrency", "--memory-limit", "--warnings", "--reporter", "--update", "--fix", "--changed", "--quiet", "--version"]) {
      expect(r.stdout).toContain(flag);
    }
    // Guide templates' option and commands (test/cli/templates.test.ts, templates-git.test.ts).
    expect(r.stdout).toContain("--templates");
    expect(r.stdout).toContain("Validate guide templates (from config `templates`");
    expect(r.stdout).toMatch(/templates <action>/);
    expect(r.stdout).toMatch(/init-hook/);
  });
});
