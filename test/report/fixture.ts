// The one result every reporter renders (test/report/*.test.ts): failures, a warning, an info, a skipped block,
// a page skipped whole, a multi-line message with table syntax and HTML in it.
import type { CheckResult, Finding, PageResult } from "../../src/types.js";
import { emptyCounts } from "../../src/types.js";

const at = (line: number, column: number, offset: number) => ({ line, column, offset });

export const GUIDE_SOURCE = [
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

export const findings: Finding[] = [
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

export const pages: PageResult[] = [
  {
    page: "docs/guide.md",
    blocks: [
      { id: "docs/guide.md#L3-L5", lang: "ts", line: 3, status: "failed", checks: ["typecheck", "run", "lint"], level: "run" },
      { id: "docs/guide.md#L7-L9", lang: "ts", line: 7, title: "hello.ts", status: "failed", checks: ["typecheck", "run", "lint"], level: "run" },
    ],
    findings: findings.filter((f) => f.page === "docs/guide.md"),
    counts: { fences: 3, checked: 2, skipped: 0, otherLanguage: 0, outputs: 1 },
  },
  {
    page: "docs/skip.md",
    blocks: [
      { id: "docs/skip.md#L1-L3", lang: "ts", line: 1, status: "skipped", skipReason: "needs a live API key", checks: [], level: "none", stop: { reason: "skipped", detail: "needs a live API key" } },
      { id: "docs/skip.md#L5-L7", lang: "ts", line: 5, status: "passed", checks: ["typecheck"], level: "typecheck", stop: { reason: "level-cap", detail: "level=typecheck" } },
    ],
    findings: findings.filter((f) => f.page === "docs/skip.md"),
    counts: { fences: 3, checked: 1, skipped: 1, otherLanguage: 1, outputs: 0 },
  },
  { page: "docs/off.md", blocks: [], findings: [], counts: emptyCounts(), skipReason: "draft page" },
];

export const result: CheckResult = {
  version: 1,
  tool: { name: "validate-docs", version: "0.0.0-test" },
  root: "/project",
  pages,
  summary: {
    pages: 3, blocks: 4, passed: 1, failed: 2, skipped: 1, errors: 2, warnings: 1, infos: 1,
    levels: { none: 1, parse: 0, resolve: 0, typecheck: 1, run: 2 }, passedLevels: { none: 0, parse: 0, resolve: 0, typecheck: 1, run: 0 },
    reasons: { skipped: 1, "level-cap": 1 },
  },
  timings: { extract: 3, typecheck: 40, run: 120, total: 150 },
};
export const sources = new Map([["docs/guide.md", GUIDE_SOURCE]]);
