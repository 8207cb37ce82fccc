// Lint rules through the real CLI: every evasion form of the seed's `init({ instrumentors })` is flagged at the exact
// page line:column; the two-step pattern and an unrelated `init` (with `modules`) are not; --fix rewrites only spans.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { makeProject, once, readJson, runCli, TSCONFIG } from "../helpers.js";

const ACME = {
  "node_modules/@acme/tracer/package.json": JSON.stringify({ name: "@acme/tracer", version: "1.0.0", type: "module", types: "index.d.ts", exports: { ".": { types: "./index.d.ts", default: "./index.js" } } }),
  "node_modules/@acme/tracer/index.d.ts": [
    "export interface Instrumentor { name: string }",
    "export interface InitOptions { apiKey: string; instrumentors?: Instrumentor[] }",
    "export declare class Tracer { static init(o: InitOptions): Tracer }",
    "export declare function init(o: InitOptions): Tracer;",
    "export declare function httpInstrumentor(): Instrumentor;",
    "export declare function registerInstrumentations(t: Tracer, i: Instrumentor[]): void;",
  ].join("\n"),
  "node_modules/@acme/tracer/index.js": "export class Tracer { static init() { return new Tracer(); } }\nexport const init = () => new Tracer();\nexport const httpInstrumentor = () => ({ name: 'http' });\nexport const registerInstrumentations = () => {};\n",
  "node_modules/other-sdk/package.json": JSON.stringify({ name: "other-sdk", version: "1.0.0", types: "index.d.ts" }),
  "node_modules/other-sdk/index.d.ts": "export declare function init(o: { instrumentors?: string[] }): void;\n",
};

const EVASIONS = [
  "# Evasions", //                                                                          1
  "", //                                                                                    2
  "```ts", //                                                                               3
  'import { Tracer, httpInstrumentor } from "@acme/tracer";', //                            4
  'Tracer.init({ apiKey: "k", instrumentors: [httpInstrumentor()] });', //                  5  col 28
  "```", //                                                                                 6
  "", //                                                                                    7
  "```ts", //                                                                               8
  'import { init, httpInstrumentor } from "@acme/tracer";', //                              9
  "const instrumentors = [httpInstrumentor()];", //                                         10
  'init({ apiKey: "k", instrumentors });', //                                               11 col 21
  "```", //                                                                                 12
  "", //                                                                                    13
  "```ts", //                                                                               14
  'import { init } from "@acme/tracer";', //                                                15
  'const shared = { instrumentors: [] };', //                                               16
  'init({ apiKey: "k", ...shared });', //                                                   17 col 21 (spread)
  "```", //                                                                                 18
  "", //                                                                                    19
  "```ts", //                                                                               20
  'import { init } from "@acme/tracer";', //                                                21
  'const options = { apiKey: "k", instrumentors: [] };', //                                 22
  "init(options);", //                                                                      23 col 6 (argument)
  "```", //                                                                                 24
  "", //                                                                                    25
  "- aliased, in a list item:", //                                                          26
  "", //                                                                                    27
  "  ```ts", //                                                                             28
  '  import { init as setup } from "@acme/tracer";', //                                     29
  '  setup({ apiKey: "k", instrumentors: [] });', //                                        30 col 24
  "  ```", //                                                                               31
  "", //                                                                                    32
  "> namespace import with optional chaining, quoted:", //                                  33
  ">", //                                                                                   34
  "> ```ts", //                                                                             35
  '> import * as sdk from "@acme/tracer";', //                                              36
  '> sdk?.init?.({ apiKey: "k", instrumentors: [] });', //                                  37 col 30
  "> ```", //                                                                               38
  "", //                                                                                    39
  "```ts", //                                                                               40
  'import { init } from "other-sdk";', //                                                   41
  "init({ instrumentors: [] });", //                                                        42 (unrelated module)
  "```", //                                                                                 43
].join("\n");

const TWO_STEP = [
  "```ts",
  'import { Tracer, httpInstrumentor, registerInstrumentations } from "@acme/tracer";',
  'const tracer = Tracer.init({ apiKey: "k" });',
  "registerInstrumentations(tracer, [httpInstrumentor()]);",
  "```",
].join("\n");

function ruleFindings(dir: string, page: string, ruleId: string) {
  const report = readJson(path.join(dir, "reports/pages", `${page}.json`));
  return report.findings
    .filter((f: { ruleId: string }) => f.ruleId === ruleId)
    .map((f: { place: { start: { line: number; column: number } } }) => `${f.place.start.line}:${f.place.start.column}`);
}

const ASSERT_PAGE = ["# Assert", "", "Some *prose*  with  odd   spacing.", "", "```ts", 'import assert from "node:assert";', "assert.ok(true);", "```", ""].join("\r\n");

/**
 * One project for both tests, checked once (lint and the type-check); each test reads its own page: the evasion
 * forms, and the page --fix then rewrites (its later runs check that page alone). None of the blocks uses a global:
 * the tsconfig takes the project's own node_modules/@types (not the test globals' typeRoots).
 */
const checked = once(() => {
  const dir = makeProject({
    ...ACME,
    "tsconfig.json": JSON.stringify({ compilerOptions: { ...JSON.parse(TSCONFIG).compilerOptions, types: ["node"], typeRoots: undefined } }),
    "node_modules/@types/node/package.json": JSON.stringify({ name: "@types/node", version: "20.0.0", types: "index.d.ts" }),
    "node_modules/@types/node/index.d.ts": 'declare module "node:assert" { function assert(v: unknown): void; namespace assert { function ok(v: unknown): void } export = assert; }\ndeclare module "node:assert/strict" { import a = require("node:assert"); export = a; }\n',
    "validate-docs.config.json": JSON.stringify({ bannedApis: [{ module: "node:assert", message: "Use node:assert/strict.", replaceWith: "node:assert/strict" }] }),
    "docs/evasions.md": EVASIONS,
    "docs/two-step.md": TWO_STEP,
    "docs/assert.md": ASSERT_PAGE,
  });
  return { dir, r: runCli(["--no-run"], dir) };
});

describe("no-init-instrumentors through the CLI", () => {
  it("flags each evasion form at the exact page line:column", () => {
    const { dir, r } = checked();
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("docs/evasions.md:5:28 error no-init-instrumentors");
    expect(ruleFindings(dir, "docs/evasions.md", "no-init-instrumentors")).toEqual(["5:28", "11:21", "17:21", "23:6", "30:24", "37:30", "42:8"]);
    expect(ruleFindings(dir, "docs/two-step.md", "no-init-instrumentors")).toEqual([]);
    // With `modules` (config → rule options through the CLI), every form is still flagged and the unrelated init is
    // not: test/cli/linked-packages.test.ts (the same evasion forms, an SDK named in `modules`, another package's
    // init); the option on @acme/tracer and other-sdk: test/rules/no-init-instrumentors.test.ts.
  });

  it("--fix applies no-banned-api replacements, touching only those spans, and the page as written passes", () => {
    const page = ASSERT_PAGE;
    const { dir, r: before } = checked();
    expect(before.code).toBe(1);
    expect(before.stdout).toMatch(/docs\/assert\.md:6:20 error no-banned-api .*Use node:assert\/strict\./);
    expect(ruleFindings(dir, "docs/assert.md", "no-banned-api")).toEqual(["6:20"]);
    expect(before.stdout).not.toContain("ts2591");
    // --fix rewrites, then checks the page again as written on disk and reports that (src/commands.ts checkCommand):
    // the fixed finding is gone and the run passes (on this page: the evasions page still fails). That report is
    // what a next run gives (it would replay those results from the cache).
    const fixed = runCli(["--no-run", "--fix", "docs/assert.md"], dir);
    expect(fixed.stdout).toContain("docs/assert.md: 1 fix applied");
    expect(fixed.stdout).not.toContain("no-banned-api");
    expect(fixed.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, "docs/assert.md"), "utf8")).toBe(page.replace('"node:assert"', '"node:assert/strict"'));
    expect(ruleFindings(dir, "docs/assert.md", "no-banned-api")).toEqual([]);
  });
});
