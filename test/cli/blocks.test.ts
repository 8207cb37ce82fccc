// A CodeBlock is whole when extract returns it: what the stages report about it does not depend on which side of
// the run worker's structured clone they ran on, nor on which thread type-checked it (a small type-check + lint runs
// on the main thread instead of the analysis worker thread: src/analyze/threaded.ts, docs/performance.md), and each
// stage says which blocks it checked.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TSCONFIG, fence, makeProject, once, pageOf, readJson, runCli } from "../helpers.js";

interface Place {
  start: { line: number; column: number; offset: number };
  end: { line: number; column: number; offset: number };
}
interface Index {
  pages: { page: string; findings: { ruleId: string; blockId?: string; place: Place }[]; blocks: { id: string; status: string; checks: string[] }[] }[];
  summary: unknown;
}

const CRLF_PAGE = ["# CRLF", "", "```ts expect-throw", "const n: number = 1;", "```", "", "```ts", "const s: string = 1;", "```", ""].join("\r\n");
const JS_PAGE = ["```js", "// @ts-check", "const n = 1;", "console.log(n);", "```", "", "```js", "const m = 2;", "console.log(m);", "```", "", "```js", "// @ts-nocheck", "const o = 3;", "console.log(o);", "```", ""].join("\n");

// A type error, a deprecated function, a floating promise, a block using an earlier one's function (page context), an
// output checked by the run.
const A_PAGE = [
  "# A\n\n",
  fence("ts", 'const n: number = "one";\nconsole.log(n);'),
  "\n",
  fence("ts", "/** @deprecated use twice */\nfunction double(x: number) {\n  return x * 2;\n}\nconsole.log(double(1));\nasync function later() {}\nlater();"),
  "\n",
  fence("ts", "console.log(double(2));"),
].join("");
const B_PAGE = "# B\n\n" + fence("ts", "const b: number = 1;\nconsole.log(b + 1);") + "\n" + fence("text output", "2");

/** Blocks in the program: 3 + 1 on a.md and b.md, 2 on the CRLF page, 3 on the JS page. */
const PROGRAM_BLOCKS = 9;

/**
 * Every page in one project, checked twice with every stage: the type-check and lint on the main thread (an inline
 * limit of all the program's blocks), then on the worker thread (one block fewer). Each test reads its own page.
 */
const checked = once(() => {
  const dir = makeProject({
    "package.json": JSON.stringify({ name: "p", type: "module" }),
    "tsconfig.json": TSCONFIG,
    "docs/a.md": A_PAGE,
    "docs/b.md": B_PAGE,
    "docs/crlf.md": CRLF_PAGE,
    "docs/js.md": JS_PAGE,
  });
  const cli = (name: string, limit: number) => {
    const r = runCli(["--no-cache", "--reporter", "console", "--reporter", `json=${path.join(dir, "out", name)}`, "docs"], dir, {
      VALIDATE_DOCS_DEBUG: "analyze",
      VALIDATE_DOCS_ANALYZE_INLINE: String(limit),
    });
    return { r, index: readJson<Index>(path.join(dir, "out", name, "index.json")) };
  };
  const inline = cli("inline", PROGRAM_BLOCKS);
  return { ...inline, threaded: cli("threaded", PROGRAM_BLOCKS - 1) };
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

it("the main thread and the worker thread give the same reports; at most VALIDATE_DOCS_ANALYZE_INLINE blocks run on the main thread", () => {
  const { r: inline, index: inlineIndex, threaded } = checked();
  for (const { r } of [{ r: inline }, threaded]) {
    expect(r.code).toBe(1);
    for (const id of ["ts2322", "no-floating-promise", "no-deprecated"]) expect(r.stdout).toContain(id);
  }
  expect(inline.stderr).toContain(`validate-docs: analyze: type-check and lint on the calling thread (${PROGRAM_BLOCKS} blocks in 1 program(s), inline limit ${PROGRAM_BLOCKS})`);
  expect(threaded.r.stderr).toContain(`validate-docs: analyze: type-check and lint on a worker thread (${PROGRAM_BLOCKS} blocks in 1 program(s), inline limit ${PROGRAM_BLOCKS - 1})`);
  expect({ pages: inlineIndex.pages, summary: inlineIndex.summary }).toEqual({ pages: threaded.index.pages, summary: threaded.index.summary });
});
