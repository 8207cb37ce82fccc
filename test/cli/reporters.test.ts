// Reporters through the real CLI: all formats from one run, NAME=PATH targets, `json=-` for piping, GitHub
// annotations and the job summary chosen automatically under GITHUB_ACTIONS=true, bad specs as usage errors.
import fs from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import { expect, it } from "vitest";
import { makeProject, once, readJson, runCli, TSCONFIG } from "../helpers.js";
import { junitErrors, sarifErrors } from "../report/schemas.js";

const project = () =>
  makeProject({
    "tsconfig.json": TSCONFIG,
    "docs/a.md": ["# A", "", "```ts", "const n: number = 'one';", "console.log(n);", "```", ""].join("\n"),
    "docs/b.md": ["# B", "", "```ts", "console.log(1 + 1);", "```", "", "```output", "2", "```", ""].join("\n"),
  });
/**
 * One project for the runs that may share it (the reporters read the same results, from the cache after the first).
 * What they assert is how each reporter writes the type error of docs/a.md (and that docs/b.md passes): the run
 * stage changes nothing there, so none of them runs it.
 */
const shared = once(project);

it("one run writes console, JSON, Markdown, JUnit, SARIF, GitHub and HTML at once, each valid", async () => {
  const dir = shared();
  const r = runCli(["--no-run", "--reporter", "console,json,markdown,junit,sarif,html", "--reporter", "github"], dir, { GITHUB_ACTIONS: "", GITHUB_STEP_SUMMARY: "" });
  expect(r.code).toBe(1);
  expect(r.stdout).toContain("docs/a.md:4:7 error ts2322");
  expect(r.stdout).toContain("::error file=docs/a.md,line=4,col=7,");
  for (const f of ["index.json", "index.md", "pages/docs/a.md.json", "junit.xml", "results.sarif", "index.html"]) {
    expect(fs.existsSync(path.join(dir, "reports", f)), f).toBe(true);
  }
  const junit = fs.readFileSync(path.join(dir, "reports/junit.xml"), "utf8");
  expect(junit).toContain('<testsuite name="docs/a.md" tests="1" failures="1"');
  expect(junit).toContain('<testsuite name="docs/b.md" tests="1" failures="0"');
  expect(await junitErrors(junit)).toEqual([]);
  const sarif = readJson(path.join(dir, "reports/results.sarif"));
  expect(sarifErrors(sarif)).toEqual([]);
  expect(sarif.runs[0].results.map((x: { ruleId: string }) => x.ruleId)).toEqual(["ts2322"]);
  expect(sarif.runs[0].originalUriBaseIds.ROOT.uri).toBe(`file://${dir}/`);
  const html = fs.readFileSync(path.join(dir, "reports/index.html"), "utf8");
  expect(html).toContain('"linkBase":"../"');
  expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=["']?https?:/);
  // The run's own HTML (not a fixture) in headless Chromium: it renders this run's finding and counts, filters, and
  // asks for nothing over the network (test/report/html.test.ts covers every filter on a fixed result).
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu"] });
  try {
    const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    const requests: string[] = [];
    const errors: string[] = [];
    page.on("request", (req) => requests.push(req.url()));
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(`file://${path.join(dir, "reports/index.html")}`);
    await page.waitForSelector("#shown");
    const shown = () => page.$$eval(".finding:not(.hidden)", (els) => els.map((e) => `${e.getAttribute("data-severity")} ${e.getAttribute("data-rule")}`));
    expect(await shown()).toEqual(["error ts2322"]);
    expect(await page.$$eval("#pages tbody tr", (els) => els.map((e) => e.getAttribute("data-page")))).toEqual(["docs/a.md", "docs/b.md"]);
    await page.selectOption("#filter-rule", "ts2322");
    expect(await shown()).toEqual(["error ts2322"]);
    expect(await page.$$eval("#pages tbody tr:not(.hidden)", (els) => els.map((e) => e.getAttribute("data-page")))).toEqual(["docs/a.md"]);
    expect(errors).toEqual([]);
    expect(requests.filter((u) => !u.startsWith("file://"))).toEqual([]);
  } finally {
    await browser.close();
  }
});

it("json=- prints the whole result alone on stdout, and NAME=PATH writes a file or a directory elsewhere", () => {
  // Where the reporters write is what is asserted: the shared project's results (from its cache after the first run
  // there), without the default report dir another test's run may have written.
  const dir = shared();
  fs.rmSync(path.join(dir, "reports"), { recursive: true, force: true });
  // The run stage changes nothing here (docs/b.md passes either way).
  const r = runCli(["--no-run", "--reporter", "json=-", "--reporter", "junit=ci/junit.xml", "--reporter", "markdown=ci/md"], dir);
  expect(r.code).toBe(1);
  const result = JSON.parse(r.stdout);
  expect(result.summary).toMatchObject({ pages: 2, blocks: 2, passed: 1, failed: 1, errors: 1 });
  expect(fs.readFileSync(path.join(dir, "ci/junit.xml"), "utf8")).toContain("<testsuites");
  expect(fs.existsSync(path.join(dir, "ci/md/index.md"))).toBe(true);
  expect(fs.existsSync(path.join(dir, "ci/md/pages/docs/a.md.md"))).toBe(true);
  // Nothing went to the default report dir: every reporter had a place.
  expect(fs.existsSync(path.join(dir, "reports"))).toBe(false);
});

it("under GITHUB_ACTIONS=true the console output gets annotations and the job summary is appended", () => {
  const dir = shared();
  const summary = path.join(dir, "step-summary.md");
  fs.writeFileSync(summary, "earlier step\n");
  const r = runCli(["--no-run"], dir, { GITHUB_ACTIONS: "true", GITHUB_STEP_SUMMARY: summary, GITHUB_WORKSPACE: path.dirname(dir) });
  expect(r.code).toBe(1);
  expect(r.stdout).toContain("docs/a.md:4:7 error ts2322");
  expect(r.stdout).toContain(`::error file=${path.basename(dir)}/docs/a.md,line=4,col=7,endLine=4,endColumn=8,title=validate-docs ts2322::`);
  const text = fs.readFileSync(summary, "utf8");
  expect(text.startsWith("earlier step\n## validate-docs: ✖ 1 error")).toBe(true);
  expect(text).toContain("| `docs/a.md:4:7` | `ts2322` |");
  // Not on GitHub: no workflow commands.
  expect(runCli(["--no-run"], dir, { GITHUB_ACTIONS: "" }).stdout).not.toContain("::error");
});

it("bad reporter specs are usage errors that say what to do", () => {
  const dir = project();
  // The problems of the flags are all reported at once: one run with an unknown name, an empty path and a second
  // reporter on standard output.
  const r = runCli(["--no-run", "--reporter", "junitt", "--reporter", "html=", "--reporter", "console", "--reporter", "sarif=-"], dir);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain("unknown reporter `junitt`");
  expect(r.stderr).toContain("did you mean `junit`?");
  expect(r.stderr).toContain("more than one reporter writes to standard output (console, sarif)");
  expect(r.stderr).toContain("reporter `html=` has an empty path");
  expect(r.stderr).toContain("3 problems");
});
