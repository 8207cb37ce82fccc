// One shared result rendered by every reporter; outputs compared with file snapshots (DESIGN §4). Reporters are
// pure, so the same input must give byte-identical output, and no reporter may drop a finding.
import { describe, expect, it } from "vitest";
import { reporters } from "../../src/report/index.js";
import { pageReportPath } from "../../src/report/paths.js";
import type { CheckResult, Finding, PageResult } from "../../src/types.js";
import { emptyCounts } from "../../src/types.js";

const at = (line: number, column: number, offset: number) => ({ line, column, offset });

const GUIDE_SOURCE = [
  "# Guide",
  "",
  "```ts",
  "init({ apiKey: 'k', retries: 3 });",
  "```",
  "",
  "```ts",
  "console.log('hi');",
  "```",
  "",
  "```output",
  "hello | world",
  "```",
].join("\n");

const findings: Finding[] = [
  {
    stage: "typecheck",
    ruleId: "ts2353",
    severity: "error",
    message: "Object literal may only specify known properties, and 'retries' does not exist in type 'InitOptions'.",
    page: "docs/guide.md",
    blockId: "docs/guide.md#L3-L5",
    place: { start: at(4, 21, 38), end: at(4, 28, 45) },
    hint: "if this error is intended, mark the fence `ts expect-error=2353`",
  },
  {
    stage: "run",
    ruleId: "run/output-mismatch",
    severity: "error",
    message: "The block's output differs from the `output` fence after it:\n-hello | world\n+hi <b>",
    page: "docs/guide.md",
    blockId: "docs/guide.md#L7-L9",
    place: { start: at(11, 1, 80), end: at(13, 4, 106) },
    fix: { range: [90, 103], text: "hi <b>\n" },
  },
  {
    stage: "lint",
    ruleId: "no-deprecated",
    severity: "warning",
    message: "`Tracer.init` is deprecated: use new Tracer().",
    page: "docs/guide.md",
    blockId: "docs/guide.md#L3-L5",
    place: { start: at(4, 1, 18), end: at(4, 5, 22) },
  },
  {
    stage: "typecheck",
    ruleId: "ts2322",
    severity: "info",
    message: "expected: Type 'string' is not assignable to type 'number'.",
    page: "docs/skip.md",
    blockId: "docs/skip.md#L5-L7",
    place: { start: at(6, 7, 60), end: at(6, 8, 61) },
  },
];

const pages: PageResult[] = [
  {
    page: "docs/guide.md",
    blocks: [
      { id: "docs/guide.md#L3-L5", lang: "ts", line: 3, status: "failed", checks: ["typecheck", "run", "lint"] },
      { id: "docs/guide.md#L7-L9", lang: "ts", line: 7, title: "hello.ts", status: "failed", checks: ["typecheck", "run", "lint"] },
    ],
    findings: findings.filter((f) => f.page === "docs/guide.md"),
    counts: { fences: 3, checked: 2, skipped: 0, otherLanguage: 0, outputs: 1 },
  },
  {
    page: "docs/skip.md",
    blocks: [
      { id: "docs/skip.md#L1-L3", lang: "ts", line: 1, status: "skipped", skipReason: "needs a live API key", checks: [] },
      { id: "docs/skip.md#L5-L7", lang: "ts", line: 5, status: "passed", checks: ["typecheck"] },
    ],
    findings: findings.filter((f) => f.page === "docs/skip.md"),
    counts: { fences: 3, checked: 1, skipped: 1, otherLanguage: 1, outputs: 0 },
  },
  { page: "docs/off.md", blocks: [], findings: [], counts: emptyCounts(), skipReason: "draft page" },
];

const result: CheckResult = {
  version: 1,
  tool: { name: "validate-docs", version: "0.0.0-test" },
  root: "/project",
  pages,
  summary: { pages: 3, blocks: 4, passed: 1, failed: 2, skipped: 1, errors: 2, warnings: 1, infos: 1 },
  timings: { extract: 3, typecheck: 40, run: 120, total: 150 },
};
const sources = new Map([["docs/guide.md", GUIDE_SOURCE]]);

describe.each(Object.keys(reporters))("%s reporter", (id) => {
  const render = () => reporters[id]!.render(result, { sources, color: false });

  it("is pure: the same result renders byte-identically", () => {
    expect(render()).toEqual(render());
  });

  it("matches its snapshot", async () => {
    for (const file of render()) {
      await expect(file.content).toMatchFileSnapshot(`__snapshots__/${id}/${file.path ?? "stdout.txt"}`);
    }
  });
});

it("json: index holds the whole result and each page file holds every finding of its page", () => {
  const files = reporters.json!.render(result, {});
  expect(JSON.parse(files.find((f) => f.path === "index.json")!.content)).toEqual(result);
  for (const page of pages) {
    const file = files.find((f) => f.path === pageReportPath(page.page, "json"))!;
    expect(JSON.parse(file.content).findings).toEqual(page.findings);
  }
});

it("console: every non-info finding is printed at page:line:col, infos are left to the files", () => {
  const out = reporters.console!.render(result, { sources })[0]!.content;
  expect(out).toContain("docs/guide.md:4:21 error ts2353");
  expect(out).toContain("docs/guide.md:11:1 error run/output-mismatch");
  expect(out).toContain("docs/guide.md:4:1 warning no-deprecated");
  expect(out).not.toContain("docs/skip.md:6:7");
  expect(out.trimEnd().split("\n").pop()).toBe(
    "✖ 2 errors, 1 warning in 1 of 3 pages · 4 blocks: 1 passed, 2 failed, 1 skipped · 1 other-language fence · 150 ms",
  );
});

it("markdown: a page report keeps multi-line messages and escapes table syntax and HTML", () => {
  const files = reporters.markdown!.render(result, {});
  const page = files.find((f) => f.path === pageReportPath("docs/guide.md", "md"))!.content;
  expect(page).toContain("-hello \\| world<br>+hi &lt;b&gt;");
  expect(files.find((f) => f.path === "index.md")!.content).toContain("| [docs/off.md](pages/docs/off.md.md) | skipped |");
});
