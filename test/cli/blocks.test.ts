// A CodeBlock is whole when extract returns it: what the stages report about it does not depend on which side of
// the run worker's structured clone they ran on, and each stage says which blocks it checked.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TSCONFIG, makeProject, once, pageOf, readJson, runCli } from "../helpers.js";

interface Place {
  start: { line: number; column: number; offset: number };
  end: { line: number; column: number; offset: number };
}
interface Index {
  pages: { page: string; findings: { ruleId: string; blockId?: string; place: Place }[]; blocks: { id: string; status: string; checks: string[] }[] }[];
}

const CRLF_PAGE = ["# CRLF", "", "```ts expect-throw", "const n: number = 1;", "```", "", "```ts", "const s: string = 1;", "```", ""].join("\r\n");
const JS_PAGE = ["```js", "// @ts-check", "const n = 1;", "console.log(n);", "```", "", "```js", "const m = 2;", "console.log(m);", "```", "", "```js", "// @ts-nocheck", "const o = 3;", "console.log(o);", "```", ""].join("\n");

/** Both pages in one project and one run (all stages); each test reads its own page. */
const checked = once(() => {
  const dir = makeProject({ "package.json": JSON.stringify({ name: "p", type: "module" }), "tsconfig.json": TSCONFIG, "docs/crlf.md": CRLF_PAGE, "docs/js.md": JS_PAGE });
  const r = runCli(["--reporter", "json"], dir);
  return { r, index: readJson<Index>(path.join(dir, "reports/index.json")) };
});

describe("blocks through the real CLI", () => {
  it("a run finding on a CRLF page sits on the opening fence line exactly as a check finding does", () => {
    const page = CRLF_PAGE;
    const { r, index } = checked();
    expect(r.code, r.stderr).toBe(1);
    const findings = pageOf(index, "docs/crlf.md").findings;
    const thrown = findings.find((f) => f.ruleId === "run/expected-throw");
    expect(thrown).toBeDefined();
    const openingEnd = page.indexOf("\r\nconst n");
    expect(thrown!.place).toEqual({
      start: { line: 3, column: 1, offset: page.indexOf("```ts expect-throw") },
      end: { line: 3, column: "```ts expect-throw".length + 1, offset: openingEnd },
    });
    expect(findings.find((f) => f.ruleId === "ts2322")?.place.start).toMatchObject({ line: 8, column: 7 });
  });

  it("each stage reports the blocks it checked: JS blocks are type-checked (typed, or in full with `// @ts-check`), not with `// @ts-nocheck`", () => {
    const { r, index } = checked();
    const js = pageOf(index, "docs/js.md");
    // (The shared run fails on the CRLF page; this page has no finding.)
    expect(js.findings, r.stdout + r.stderr).toEqual([]);
    expect(js.blocks.map((b) => b.status)).toEqual(["passed", "passed", "passed"]);
    expect(js.blocks.map((b) => b.checks)).toEqual([
      ["typecheck", "run", "lint"],
      ["typecheck", "run", "lint"],
      ["run", "lint"],
    ]);
  });
});
