// Graded checking through the real CLI on temp projects: one finding per cause (item 5 of issue 14), check levels
// and the not-a-program heuristics (each with a look-alike block that must still fail).
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { TSCONFIG, TSCONFIG_DOM, fence, makeProject, once, pageOf, readJson, runCli } from "../helpers.js";

interface ReportFinding {
  ruleId: string;
  severity: string;
  message: string;
  blockId?: string;
  folded?: number;
  place: { start: { line: number; column: number } };
}
interface ReportBlock {
  id: string;
  line: number;
  status: string;
  level: string;
  stop?: { reason: string; detail?: string };
  substitutes?: { placeholder: string; value: string; line: number }[];
}
interface ReportPage {
  page: string;
  findings: ReportFinding[];
  blocks: ReportBlock[];
}
interface Index {
  pages: ReportPage[];
  summary: { errors: number; warnings: number; levels: Record<string, number>; reasons: Record<string, number> };
}

/** A temp project; `dom`: with the DOM lib (the heuristics page has browser-only blocks). */
function project(files: Record<string, string>, dom = false): string {
  return makeProject({ "package.json": JSON.stringify({ name: "docs-project", type: "module" }), "tsconfig.json": dom ? TSCONFIG_DOM : TSCONFIG, ...files });
}

function check(dir: string, args: string[] = []): { index: Index; stdout: string; code: number | null } {
  const r = runCli(["--reporter", "json,console", ...args], dir);
  if (r.code === 2) throw new Error(`validate-docs failed: ${r.stderr}`);
  return { index: readJson<Index>(`${dir}/reports/index.json`), stdout: r.stdout, code: r.code };
}

/** Findings of the block whose fence starts at page line `line`. */
const findingsAt = (page: ReportPage, line: number): ReportFinding[] => {
  const block = page.blocks.find((b) => b.line === line);
  if (!block) throw new Error(`no block at line ${line}: ${page.blocks.map((b) => b.line).join(", ")}`);
  return page.findings.filter((f) => f.blockId === block.id);
};

/**
 * The broken blocks of "one finding per cause" and a bad `level` attribute: pages of the check levels' run (below),
 * which each test reads its own page of. (Not pages of the heuristics' run: the checker makes at most 10 spelling
 * suggestions per program, and these undeclared names would use up the ones the heuristics' rows expect.) The run
 * stage adds nothing to the broken page's findings: one block does not parse, the other's names are declared nowhere
 * (the ReferenceError it would throw is the checker's ts2304: one cause, one finding).
 */
const BROKEN_PAGE = [
  "# Broken", //                           1
  "", //                                   2
  fence("ts", "const a: number = ;\nconst b = undefinedName;\nfunction f( {\nlet c = ]\nf(a, b, c);"), // 3-9
  fence("ts", "console.log(n1, n2, n3, n4, n5, n6, n7, n8);"), // 11-13
].join("\n");
const BAD_LEVEL_PAGE = fence("ts level=deep", "console.log(1);");

describe("one finding per cause", () => {
  it("a block that does not parse gets one finding (the first syntax error, with the count of the others); no block has more than 5 findings of one code", () => {
    const { index, code } = levelsRun();
    expect(code).toBe(1);
    const p = pageOf(index, "docs/guide.md");

    const broken = findingsAt(p, 3);
    expect(broken).toHaveLength(1);
    expect(broken[0]!.ruleId).toBe("ts1109"); // "Expression expected." at `= ;`
    expect(broken[0]!.place.start).toMatchObject({ line: 4, column: 19 });
    expect(broken[0]!.folded).toBeGreaterThanOrEqual(2);
    expect(broken[0]!.message).toMatch(/\+\d+ more syntax errors in this block/);

    const names = findingsAt(p, 11);
    expect(names.map((f) => f.ruleId)).toEqual(["ts2304", "ts2304", "ts2304", "ts2304", "ts2304"]);
    expect(names.map((f) => f.place.start.column)).toEqual([13, 17, 21, 25, 29]);
    expect(names[4]!.folded).toBe(3);
    expect(names[4]!.message).toContain("+3 more `ts2304` findings in this block not shown");
  });
});

/** A page from [meta, code] fences; returns the page and each fence's opening line. */
function pageOf2(title: string, blocks: [string, string][]): { text: string; lines: number[] } {
  let text = `# ${title}\n\n`;
  const lines: number[] = [];
  for (const [meta, code] of blocks) {
    lines.push(text.split("\n").length);
    text += fence(meta, code) + "\n";
  }
  return { text, lines };
}

const ENV_DECL = "declare const process: { env: Record<string, string | undefined> };\n";

const STRICT_PAGE = pageOf2("Strict", [
  ["ts", ENV_DECL + "const mode = process.env.VD_TEST_MODE;\nconsole.log(mode);"],
  ["ts level=typecheck", ENV_DECL + "const mode2 = process.env.VD_TEST_MODE;\nconsole.log(mode2);"],
  ["ts no-run", 'console.log("fine");'],
  ["ts", 'console.log("runs");'],
]);

const levels = pageOf2("Levels", [
  ["ts", "const x: number = 1;\nconsole.log(x);"], //                        0 run
  ["ts level=typecheck", 'console.log("capped");'], //                     1 typecheck, level-cap
  ["ts no-run", 'console.log("not run");'], //                               2 typecheck, no-run
  ["ts", 'import { thing } from "not-a-package-anywhere";\nconsole.log(thing);'], // 3 parse, unresolved-import (error)
  ["ts", 'const n: number = "one";\nconsole.log(n);'], //                    4 run, with a type error
  ["ts level=typecheck", "[1, 2].notAMethod();"], //                         5 typecheck, and the real bug is an error
  ["ts level=parse", "const y: number = 'not checked';"], //                 6 parse, no type error reported
  ["ts level=resolve", 'import { nope } from "./missing.js";\nconst z: number = "not reported";'], // 7 resolve: the import is an error, the type is not
]);
const ref = pageOf2("Reference", [["ts", 'console.log("reference");'], ["ts level=run", 'console.log("runs anyway");']]);

/** The check levels' pages with a config default for docs/reference/**, and the broken and bad-level pages, in one run. */
const levelsRun = once(() => {
  const dir = project({
    "docs/levels.md": levels.text,
    "docs/reference/api.md": ref.text,
    "docs/guide.md": BROKEN_PAGE,
    "docs/bad-level.md": BAD_LEVEL_PAGE,
    "validate-docs.config.json": JSON.stringify({ level: { "docs/reference/**": "typecheck" } }),
  });
  return { dir, ...check(dir, ["--reporter", "json,console,markdown"]) };
});

describe("check levels", () => {

  it("records the level each block reached and why it stopped; a cap never hides a real bug; reports count levels and reasons", () => {
    const { dir, index, stdout, code } = levelsRun();
    expect(code).toBe(1);
    const p = pageOf(index, "docs/levels.md");
    const grade = (i: number) => {
      const b = p.blocks.find((x) => x.line === levels.lines[i])!;
      return [b.level, b.stop?.reason ?? null, b.status];
    };
    expect(grade(0)).toEqual(["run", null, "passed"]);
    expect(grade(1)).toEqual(["typecheck", "level-cap", "passed"]);
    expect(grade(2)).toEqual(["typecheck", "no-run", "passed"]);
    expect(grade(3)).toEqual(["parse", "unresolved-import", "failed"]);
    expect(grade(4)).toEqual(["run", null, "failed"]);
    expect(grade(5)).toEqual(["typecheck", "level-cap", "failed"]);
    expect(findingsAt(p, levels.lines[5]!).map((f) => f.ruleId)).toEqual(["ts2339"]);
    expect(grade(6)).toEqual(["parse", "level-cap", "passed"]);
    expect(findingsAt(p, levels.lines[6]!)).toEqual([]);
    expect(grade(7)).toEqual(["parse", "unresolved-import", "failed"]);
    expect(findingsAt(p, levels.lines[7]!).map((f) => f.ruleId)).toEqual(["ts2307"]);

    const r = pageOf(index, "docs/reference/api.md");
    expect(r.blocks.map((b) => [b.level, b.stop?.reason ?? null])).toEqual([["typecheck", "level-cap"], ["run", null]]);
    expect(r.blocks[0]!.stop!.detail).toContain("config default");

    // The run's counts: these two pages' (run 3 · typecheck 4 · parse 3: level-cap 4, unresolved-import 2, no-run 1),
    // the broken page's two blocks (none: syntax-error; resolve: undeclared-name) and the bad-level page's one (run).
    expect(index.summary.levels).toEqual({ none: 1, parse: 3, resolve: 1, typecheck: 4, run: 4 });
    expect(index.summary.reasons).toEqual({ "level-cap": 4, "no-run": 1, "unresolved-import": 2, "syntax-error": 1, "undeclared-name": 1 });
    expect(stdout).toContain("levels: run 4 · typecheck 4 · resolve 1 · parse 3 · none 1 — below run: level-cap 4, unresolved-import 2, no-run 1, syntax-error 1, undeclared-name 1");
    const md = fs.readFileSync(path.join(dir, "reports/pages/docs/levels.md.md"), "utf8");
    expect(md).toContain("Levels: run 2 · typecheck 3 (level-cap 2, no-run 1) · parse 3 (unresolved-import 2, level-cap 1)");
    expect(md).toMatch(/\| typecheck \| typecheck, lint \| stopped: no-run — no-run \|/);
  });

  it("--strict: a block below run without an explicit attribute is an error; one with level=, no-run or skip is not", () => {
    const page = STRICT_PAGE;
    // Without --strict (the shared run): no error on the page.
    const loose = pageOf(sharedRun().index, "docs/strict.md");
    expect(loose.findings.filter((f) => f.severity === "error")).toEqual([]);
    expect(loose.blocks.map((b) => b.status)).toEqual(["passed", "passed", "passed", "passed"]);
    const dir = project({ "docs/strict.md": page.text });
    const strict = check(dir, ["--strict"]);
    expect(strict.code).toBe(1);
    const p = pageOf(strict.index, "docs/strict.md");
    const errors = p.findings.filter((f) => f.severity === "error");
    expect(errors.map((f) => [f.ruleId, f.place.start.line])).toEqual([["grade/below-run", page.lines[0]]]);
    expect(errors[0]!.message).toContain("stopped at level `typecheck`: placeholder");
  });

  it("rejects a bad level attribute and a bad config level, naming what is accepted", () => {
    const { index } = levelsRun();
    const bad = pageOf(index, "docs/bad-level.md").findings.find((f) => f.ruleId === "extract/bad-attribute");
    expect(bad?.message).toContain("`level=parse`, `level=resolve`, `level=typecheck`, `level=run`");
    const dir2 = project({ "docs/a.md": fence("ts", "console.log(1);"), "validate-docs.config.json": JSON.stringify({ level: { "docs/**": "deep" } }) });
    const r = runCli([], dir2);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('invalid value for option `level["docs/**"]`');
  });
});

const cases = pageOf2("Heuristics", [
  /* 0 */ ["ts", "const client = createClient({ ... });\n…\nclient.start();"], // pseudo-code
  /* 1 */ ["ts", "const all = [...items];\nfoo(...args"], // look-alike: spread, and a real syntax error
  /* 2 */ ["ts", "$ npm install validate-docs\nadded 1 package in 2s"], // shell session
  /* 3 */ ["ts", "const cmd = `$ npm install`;\ncmd.split("], // look-alike
  /* 4 */ ["js", "┌──────────┐\n│ ✔ passed │\n└──────────┘"], // console output
  /* 5 */ ["js", 'console.log("┌──┐ ✔");\nconsole.log(('], // look-alike: box drawing inside a string
  /* 6 */ ["ts", '{\n  "name": "my-app",\n  "version": "1.0.0"\n}'], // JSON
  /* 7 */ ["ts", '{\n  "name": "my-app",,\n}'], // look-alike: broken JSON is not JSON
  /* 8 */ ["ts", "name: my-app\nversion: 1.0.0\nscripts:\n  build: tsc"], // YAML
  /* 9 */ ["ts", "outer: for (const i of [1, 2]) {\n  break outer;\n}\nundefinedThing(outer);"], // look-alike: labels in a program
  /* 10 */ ["ts", '"chat" | "completion" | "embedding"'], // type-only union
  /* 11 */ ["ts", 'const mode = "chat" | "completion";'], // look-alike: an expression
  /* 12 */ ["ts", "{ model: string; temperature?: number; stream: boolean }"], // type-only object
  /* 13 */ ["ts", "{ model: strin; temperature?: number }"], // a wrong type in a type-only snippet is an error
  /* 14 */ ["ts", "create(params: { model: string }): Promise<string>;\nlist(): Promise<string[]>;"], // signatures
  /* 15 */ ["ts", 'const apiKey: string = "<YOUR_API_KEY>";\nconsole.log(apiKey.length);'], // placeholder: runs with a neutral value
  /* 16 */ ["ts", 'const tag: string = "<div>";\nconsole.log(tag.lenght);'], // look-alike: not a placeholder, a typo
  /* 17 */ ["ts", 'const endpoint = "<your-endpoint>";\nendpoint.notAMethod();'], // placeholder with a real bug
  /* 18 */ ["ts", ENV_DECL + "const setting = process.env.VD_TEST_UNSET_SETTING;\nconsole.log(setting);"], // unset env, no shape
  /* 19 */ ["ts", ENV_DECL + 'const region = process.env.VD_TEST_REGION ?? "eu";\nconst set = process.env.VD_FROM_CONFIG;\nconsole.log(region, set);'], // look-alike: fallback, set in config
  /* 20 */ ["ts", 'document.title = "Hello";'], // browser-only
  /* 21 */ ["ts", 'if (typeof window !== "undefined") window.alert("hi");\nconsole.log("works in node");'], // look-alike: runs in Node
  /* 22 */ ["ts", 'document.getElementByID("app");'], // a real bug in browser code is an error
  /* 23 */ ["js", 'JSON.parse("{"); // throws SyntaxError'], // documented throw
  /* 24 */ ["js", 'JSON.parse("{}"); //=> SyntaxError'], // look-alike: does not throw
  /* 25 */ ["js", 'null.x; // throws TypeError'], // documented throw, other syntax
  /* 26 */ ["js", "{\n  url: '/user',\n  method: 'get', // default\n};"], // a value shown alone (an options object)
  /* 27 */ ["js", "{\n  url: '/user',\n  method: \n}"], // look-alike: a broken object is a syntax error
  /* 28 */ ["ts", "number | null"], // a type shown alone
  /* 29 */ ["ts", "function (times: number) {\n  return Math.min(times * 10, 1000).toFixd(1);\n}"], // a callback shown alone, with a real bug
  /* 30 */ ["ts", "import OpenAI from 'jsr:@openai/openai';\nconst client = new OpenAI();"], // Deno
  /* 31 */ ["ts", "const args = Deno.args;\nconsole.log(args);"], // Deno global
  /* 32 */ ["ts", "import thing from 'jsr-like-but-not';\nconsole.log(thing);"], // look-alike: an npm name that does not resolve
  /* 33 */ ["ts", "set(headerName, value: AxiosHeaderValue, rewrite?: boolean);\nget(headerName): AxiosHeaderValue;"], // signatures with the library's types
  /* 34 */ ["ts", "get(headerName: strng): string;"], // look-alike: a misspelled known type
]);

describe("not a program: each heuristic, and a look-alike that must still fail", () => {

  it("grades each block by the heuristic that recognised it, and every look-alike still fails", () => {
    const { index, code } = sharedRun();
    expect(code).toBe(1);
    const p = pageOf(index, "docs/heuristics.md");
    if (process.env.VD_DEBUG) console.log(JSON.stringify(cases.lines.map((_, i) => [i, p.blocks.find((x) => x.line === cases.lines[i])!.stop, findingsAt(p, cases.lines[i]!).map((f) => `${f.ruleId} ${f.message.slice(0, 80)}`)])));
    const row = (i: number) => {
      const b = p.blocks.find((x) => x.line === cases.lines[i])!;
      const errors = findingsAt(p, cases.lines[i]!).filter((f) => f.severity === "error").map((f) => f.ruleId);
      return { level: b.level, reason: b.stop?.reason ?? null, errors };
    };
    expect(row(0)).toEqual({ level: "none", reason: "pseudo-code", errors: [] });
    const syntaxError = { level: "none", reason: "syntax-error", errors: [expect.stringMatching(/^ts1\d{3}$/)] };
    expect(row(1)).toEqual(syntaxError);
    expect(row(2)).toEqual({ level: "none", reason: "shell-session", errors: [] });
    expect(row(3)).toEqual(syntaxError);
    expect(row(4)).toEqual({ level: "none", reason: "shell-session", errors: [] });
    expect(row(5)).toEqual(syntaxError);
    expect(row(6)).toEqual({ level: "none", reason: "json", errors: [] });
    expect(row(7)).toEqual(syntaxError);
    expect(row(8)).toEqual({ level: "none", reason: "yaml", errors: [] });
    // One cause, one finding: the ReferenceError the run throws for the undeclared name is the checker's ts2304.
    // The names are declared nowhere, so what they stand for was never checked: the block stops at resolve.
    expect(row(9)).toEqual({ level: "resolve", reason: "undeclared-name", errors: ["ts2304", "ts2304"] });
    expect(row(10)).toEqual({ level: "typecheck", reason: "type-only", errors: [] });
    expect(row(11)).toEqual({ level: "run", reason: null, errors: ["ts2362", "ts2363"] });
    expect(row(12)).toEqual({ level: "typecheck", reason: "type-only", errors: [] });
    expect(row(13)).toEqual({ level: "typecheck", reason: "type-only", errors: ["ts2552"] });
    expect(findingsAt(p, cases.lines[13]!)[0]!.place.start).toMatchObject({ line: cases.lines[13]! + 1, column: 10 });
    expect(row(14)).toEqual({ level: "typecheck", reason: "type-only", errors: [] });
    // Placeholders in detail: test/cli/placeholders.test.ts.
    expect(row(15)).toEqual({ level: "run", reason: null, errors: [] });
    expect(p.blocks.find((b) => b.line === cases.lines[15])!.substitutes).toEqual([{ placeholder: '"<YOUR_API_KEY>"', value: "placeholder-api-key", line: 1 }]);
    expect(row(16)).toEqual({ level: "run", reason: null, errors: ["ts2551"] });
    // The placeholder ran with a neutral value; the real bug is an error for the checker and when run.
    expect(row(17)).toEqual({ level: "run", reason: null, errors: ["run/threw", "ts2339"] });
    expect(row(18)).toEqual({ level: "typecheck", reason: "placeholder", errors: [] });
    expect(p.blocks.find((b) => b.line === cases.lines[18])!.stop!.detail).toContain("process.env.VD_TEST_UNSET_SETTING");
    expect(row(19)).toEqual({ level: "run", reason: null, errors: [] });
    expect(row(20)).toEqual({ level: "typecheck", reason: "browser-only", errors: [] });
    expect(row(21)).toEqual({ level: "run", reason: null, errors: [] });
    expect(row(22)).toEqual({ level: "typecheck", reason: "browser-only", errors: ["ts2551"] });
    expect(row(23)).toEqual({ level: "run", reason: null, errors: [] });
    expect(row(24)).toEqual({ level: "run", reason: null, errors: ["run/expected-throw"] });
    expect(findingsAt(p, cases.lines[24]!)[0]!.message).toContain("Line 1 of the block documents that it throws SyntaxError");
    expect(row(25)).toEqual({ level: "run", reason: null, errors: [] });
    expect(row(26)).toEqual({ level: "typecheck", reason: "value-only", errors: [] });
    expect(row(27)).toEqual(syntaxError);
    expect(row(28)).toEqual({ level: "typecheck", reason: "type-only", errors: [] });
    expect(row(29)).toEqual({ level: "typecheck", reason: "value-only", errors: ["ts2551"] });
    expect(findingsAt(p, cases.lines[29]!)[0]!.place.start).toMatchObject({ line: cases.lines[29]! + 2, column: 37 });
    expect(row(30)).toEqual({ level: "parse", reason: "other-runtime", errors: [] });
    expect(row(31)).toEqual({ level: "parse", reason: "other-runtime", errors: [] });
    expect(row(32)).toEqual({ level: "parse", reason: "unresolved-import", errors: ["ts2307"] });
    // Parameters without types and the library's type names are conventions of reference docs: set aside, and the
    // block is graded `parse` (not `typecheck`), naming what it could not check.
    expect(row(33)).toEqual({ level: "parse", reason: "type-only", errors: [] });
    expect(p.blocks.find((b) => b.line === cases.lines[33])!.stop!.detail).toContain("`AxiosHeaderValue`");
    expect(row(34)).toEqual({ level: "typecheck", reason: "type-only", errors: ["ts2552"] });
  });
});

/**
 * One run (all stages, no --strict) whose pages two tests read, each its own page: the heuristics, and the --strict
 * page checked without --strict.
 */
const sharedRun = once(() => {
  const dir = project(
    {
      "docs/heuristics.md": cases.text,
      "docs/strict.md": STRICT_PAGE.text,
      "validate-docs.config.json": JSON.stringify({ env: { VD_FROM_CONFIG: "x" } }),
    },
    true,
  );
  return check(dir);
});
