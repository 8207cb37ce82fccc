// A linked SDK (`"tracekit": "file:./vendor/tracekit"`, node_modules/tracekit a symlink as npm makes it) through
// the real CLI: packages are named by their package.json `name` in every stage, so a rule's `modules` filter
// matches the linked package (TypeScript reports it at its real path outside node_modules), a dependency warning
// it prints is attributed to it, and a `modules` entry that no block imports is a warning naming the entry.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { makeProject, npmInstall, once, readJson, runCli, TSCONFIG } from "../helpers.js";

const TRACEKIT = {
  "vendor/tracekit/package.json": JSON.stringify({ name: "tracekit", version: "0.3.0", type: "module", types: "index.d.ts", exports: { ".": { types: "./index.d.ts", default: "./index.js" } } }),
  // A nameless manifest, as build tools write next to ESM output: it must not hide the package's name.
  "vendor/tracekit/lib/package.json": JSON.stringify({ type: "module" }),
  "vendor/tracekit/index.d.ts": [
    "export interface Instrumentor { name: string }",
    "export interface InitOptions { apiKey: string; instrumentors?: Instrumentor[] }",
    "export declare class TraceKit { static init(o: InitOptions): TraceKit }",
    "export declare function init(o: InitOptions): TraceKit;",
    "export declare function httpInstrumentor(): Instrumentor;",
    "export declare function registerInstrumentations(t: TraceKit, i: Instrumentor[]): void;",
  ].join("\n"),
  "vendor/tracekit/index.js": 'export { TraceKit, init, httpInstrumentor, registerInstrumentations } from "./lib/sdk.js";\n',
  "vendor/tracekit/lib/sdk.js": [
    "export class TraceKit { static init() { return new TraceKit(); } }",
    "export const init = () => new TraceKit();",
    "export const httpInstrumentor = () => ({ name: 'http' });",
    "export function registerInstrumentations() {",
    "  console.warn('tracekit: no exporter configured, spans are dropped');",
    "}",
  ].join("\n"),
  "node_modules/other-sdk/package.json": JSON.stringify({ name: "other-sdk", version: "1.0.0", types: "index.d.ts" }),
  "node_modules/other-sdk/index.d.ts": "export declare function init(o: { instrumentors?: string[] }): void;\n",
  "package.json": JSON.stringify({ name: "docs-site", private: true, type: "module", dependencies: { tracekit: "file:./vendor/tracekit", "other-sdk": "1.0.0" } }),
  "tsconfig.json": TSCONFIG,
};

const EVASIONS = [
  "# Evasions", //                                                                1
  "", //                                                                          2
  "```ts", //                                                                     3
  'import { TraceKit, httpInstrumentor } from "tracekit";', //                    4
  'TraceKit.init({ apiKey: "k", instrumentors: [httpInstrumentor()] });', //      5 direct
  "```", //                                                                       6
  "", //                                                                          7
  "```ts", //                                                                     8
  'import { init, httpInstrumentor } from "tracekit";', //                        9
  "const instrumentors = [httpInstrumentor()];", //                               10
  'init({ apiKey: "k", instrumentors });', //                                     11 shorthand
  "```", //                                                                       12
  "", //                                                                          13
  "```ts", //                                                                     14
  'import { init } from "tracekit";', //                                          15
  "const shared = { instrumentors: [] };", //                                     16
  'init({ apiKey: "k", ...shared });', //                                         17 spread
  "```", //                                                                       18
  "", //                                                                          19
  "```ts", //                                                                     20
  'import { init } from "tracekit";', //                                          21
  'const options = { apiKey: "k", instrumentors: [] };', //                       22
  "init(options);", //                                                            23 options variable
  "```", //                                                                       24
  "", //                                                                          25
  "```ts", //                                                                     26
  'import { init as setup } from "tracekit";', //                                 27
  'setup({ apiKey: "k", instrumentors: [] });', //                                28 aliased import
  "```", //                                                                       29
  "", //                                                                          30
  "```ts", //                                                                     31
  'import * as tk from "tracekit";', //                                           32
  'tk.init({ apiKey: "k", instrumentors: [] });', //                              33 namespace import
  "```", //                                                                       34
  "", //                                                                          35
  "```ts", //                                                                     36
  'import { init } from "other-sdk";', //                                         37
  "init({ instrumentors: [] });", //                                              38 another package: not flagged
  "```", //                                                                       39
].join("\n");

const TWO_STEP = [
  "# Two steps",
  "",
  "```ts",
  'import { TraceKit, httpInstrumentor, registerInstrumentations } from "tracekit";',
  'const tracer = TraceKit.init({ apiKey: "k" });',
  "registerInstrumentations(tracer, [httpInstrumentor()]);",
  "```",
].join("\n");

const CONFIG = JSON.stringify(
  { rules: { "no-init-instrumentors": ["error", { modules: ["tracekit", "trace-kit"] }] }, bannedApis: [{ module: "@acme/legacy", export: "start", message: "Use init." }, { module: "node:assert", message: "Use node:assert/strict." }] },
  null,
  2,
);

interface ReportFinding {
  ruleId: string;
  severity: string;
  message: string;
  page: string;
  place: { start: { line: number; column: number } };
}

// A docs folder with its own node_modules and no package.json: its blocks resolve their packages there when checked
// and when run (the run's output sits in that folder, src/run/transpile.ts packageDir), not only from the root's.
const LOCAL_MODULES = {
  "docs/guides/node_modules/guide-helper/package.json": JSON.stringify({ name: "guide-helper", version: "1.0.0", type: "module", types: "index.d.ts", exports: { ".": { types: "./index.d.ts", default: "./index.js" } } }),
  "docs/guides/node_modules/guide-helper/index.d.ts": "export declare function greet(name: string): string;\n",
  "docs/guides/node_modules/guide-helper/index.js": 'export const greet = (name) => "hello " + name;\n',
  "docs/guides/local.md": ["# A guide's own dependency", "", "```ts", 'import { greet } from "guide-helper";', 'if (greet("docs") !== "hello docs") throw new Error("guide-helper did not load");', "```", ""].join("\n"),
};

function project(): string {
  const dir = makeProject({ ...TRACEKIT, ...LOCAL_MODULES, "docs/evasions.md": EVASIONS, "docs/two-step.md": TWO_STEP, "validate-docs.config.json": CONFIG });
  // What `npm install` makes of a `file:` dependency: a symlink to the folder.
  fs.symlinkSync(path.join("..", "vendor", "tracekit"), path.join(dir, "node_modules", "tracekit"), "dir");
  return dir;
}

interface ReportIndex {
  pages: { page: string; blocks: { status: string }[]; findings: ReportFinding[] }[];
}

function findingsOf(dir: string, page: string): ReportFinding[] {
  return readJson<ReportIndex>(path.join(dir, "reports/index.json")).pages.find((p) => p.page === page)?.findings ?? [];
}

describe("a file:-linked SDK, named by its package.json", () => {
  // One project and one run with every stage for the three tests; each reads its own page of the report, read right
  // after the run (the second test then edits the config and runs again).
  const linked = once(() => {
    const dir = project();
    const r = runCli([], dir);
    return { dir, r, index: readJson<ReportIndex>(path.join(dir, "reports/index.json")) };
  });
  const pageIn = (page: string) => linked().index.pages.find((p) => p.page === page);
  const findingsIn = (page: string): ReportFinding[] => pageIn(page)?.findings ?? [];

  it("flags every evasion form once at its line with `modules`; not the two-step pattern, not another package's init", () => {
    const { dir, r } = linked();
    expect(fs.realpathSync(path.join(dir, "node_modules/tracekit"))).toBe(path.join(dir, "vendor/tracekit"));
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const lines = findingsIn("docs/evasions.md")
      .filter((f) => f.ruleId === "no-init-instrumentors")
      .map((f) => f.place.start.line);
    expect(lines).toEqual([5, 11, 17, 23, 28, 33]);
    // Not flagged by lint or the type-check: its one finding is the run's warning (the third test's).
    expect(findingsIn("docs/two-step.md").map((f) => f.ruleId)).toEqual(["run/dependency-warning"]);
    expect(pageIn("docs/guides/local.md")).toBeDefined();
    expect(findingsIn("docs/guides/local.md")).toEqual([]);
    expect(r.stdout).toContain("docs/evasions.md:33:");
  }, 180_000);

  it("warns, naming the config entry and its line, about `modules` and `bannedApis` entries no checked block imports", () => {
    const { dir, r } = linked();
    const warnings = findingsIn("validate-docs.config.json");
    expect(warnings.map((f) => [f.ruleId, f.severity, f.place.start.line])).toEqual([
      ["lint/module-never-imported", "warning", CONFIG.split("\n").findIndex((l) => l.includes('"trace-kit"')) + 1],
      ["lint/module-never-imported", "warning", CONFIG.split("\n").findIndex((l) => l.includes('"@acme/legacy"')) + 1],
    ]);
    expect(warnings[0]!.message).toContain('rules["no-init-instrumentors"].modules[1] names "trace-kit"');
    expect(warnings[1]!.message).toContain('bannedApis[0].module names "@acme/legacy"');
    // "tracekit" is imported: no warning for it; nor for a whole-path ban, whose success is that nothing imports it.
    expect(warnings.some((f) => f.message.includes('"tracekit"') || f.message.includes("node:assert"))).toBe(false);
    expect(r.stdout).toContain("validate-docs.config.json");

    // Once every entry names an imported package, the warnings are gone.
    fs.writeFileSync(path.join(dir, "validate-docs.config.json"), JSON.stringify({ rules: { "no-init-instrumentors": ["error", { modules: ["tracekit"] }] } }));
    runCli(["--no-run"], dir);
    expect(findingsOf(dir, "validate-docs.config.json")).toEqual([]);
  }, 180_000);

  it("attributes a warning the linked SDK prints while an example runs to `tracekit`; runs a guide's own node_modules package", () => {
    const { dir, r } = linked();
    const local = pageIn("docs/guides/local.md");
    expect(local?.findings, r.stdout + r.stderr).toEqual([]);
    expect(local!.blocks.map((b) => b.status)).toEqual(["passed"]);
    expect(fs.existsSync(path.join(dir, "docs/guides/.validate-docs")), "the run's output folder is removed").toBe(false);
    const warning = findingsIn("docs/two-step.md").find((f) => f.ruleId === "run/dependency-warning");
    expect(warning, r.stdout + r.stderr).toBeDefined();
    expect(warning!.message).toContain("dependency `tracekit`");
    expect(warning!.message).toContain("no exporter configured");
    expect(warning!.place.start.line).toBe(6);
  }, 180_000);
});

describe("a workspace-linked SDK (npm workspaces, linked by `npm install --offline`)", () => {
  it("flags every evasion form once at its line; not the two-step pattern, not another package's init; attributes its warning to it", () => {
    const dir = makeProject({
      ...TRACEKIT,
      "package.json": JSON.stringify({ name: "docs-site", private: true, type: "module", workspaces: ["vendor/tracekit"] }),
      "docs/evasions.md": EVASIONS,
      "docs/two-step.md": TWO_STEP,
      "validate-docs.config.json": JSON.stringify({ include: ["docs/**/*.md"], rules: { "no-init-instrumentors": ["error", { modules: ["tracekit"] }] } }),
    });
    npmInstall(dir);
    expect(fs.realpathSync(path.join(dir, "node_modules/tracekit"))).toBe(path.join(dir, "vendor/tracekit"));
    const r = runCli(["--no-typecheck"], dir);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(findingsOf(dir, "docs/evasions.md").filter((f) => f.ruleId === "no-init-instrumentors").map((f) => f.place.start.line)).toEqual([5, 11, 17, 23, 28, 33]);
    const twoStep = findingsOf(dir, "docs/two-step.md");
    expect(twoStep.map((f) => f.ruleId)).toEqual(["run/dependency-warning"]);
    expect(twoStep[0]!.message).toContain("dependency `tracekit`");
  }, 240_000);
});
