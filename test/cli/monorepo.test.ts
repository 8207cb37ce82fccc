// A monorepo through the real CLI: two workspace packages, each with a README, docs and its own tsconfig (one
// `strict`, one not, with a `paths` alias), linked by `npm install --offline` as a user's would be. Each page is
// checked and run with its own package's tsconfig; `validate-docs` at the root finds every workspace package's pages.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { CheckResult, Finding } from "../../src/types.js";
import { makeProject, npmInstall, once, readJson, runCli, tempDir, TSCONFIG, writeFiles } from "../helpers.js";

/** The test projects' tsconfig (ES2022 and the test globals, no DOM lib), strict or not. */
const tsconfig = (strict: boolean, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ compilerOptions: { ...JSON.parse(TSCONFIG).compilerOptions, strict, ...extra } });

/** Fine without `strict`, TS7006 (implicit any) with it. */
const LOOSE_CODE = ["```ts", "function twice(x) {", "  return x * 2;", "}", "console.log(twice(2));", "```"].join("\n");

const MONOREPO: Record<string, string> = {
  "package.json": JSON.stringify({ name: "acme-monorepo", private: true, workspaces: ["packages/*"] }),
  "tsconfig.json": tsconfig(true),
  "packages/core/package.json": JSON.stringify({ name: "@acme/core", version: "1.0.0", type: "module", exports: { ".": { types: "./index.d.ts", default: "./index.js" } } }),
  "packages/core/index.js": "export const greet = (name) => `hello ${name}`;\n",
  "packages/core/index.d.ts": "export declare function greet(name: string): string;\n",
  "packages/core/tsconfig.json": tsconfig(true),
  "packages/core/README.md": ["# core", "", LOOSE_CODE].join("\n"),
  "packages/core/docs/usage.md": ["# Usage", "", "```ts", 'import { greet } from "@acme/core";', 'console.log(greet("docs"));', "```"].join("\n"),
  "packages/cli/package.json": JSON.stringify({ name: "@acme/cli", version: "1.0.0", type: "module", dependencies: { "@acme/core": "1.0.0" } }),
  "packages/cli/src/shout.ts": "export const shout = (s: string): string => s.toUpperCase();\n",
  // Not strict, and a `paths` alias that checking and running must both take from this tsconfig.
  "packages/cli/tsconfig.json": tsconfig(false, { baseUrl: ".", paths: { "~/*": ["./src/*"] } }),
  "packages/cli/README.md": ["# cli", "", LOOSE_CODE].join("\n"),
  "packages/cli/docs/alias.md": [
    "# Alias",
    "",
    "```ts",
    'import { shout } from "~/shout";',
    'import { greet } from "@acme/core";',
    "console.log(shout(greet(\"cli\")));",
    "```",
    "",
    "```text output",
    "HELLO CLI",
    "```",
  ].join("\n"),
};

/** MONOREPO linked by `npm install --offline` once; each test gets a copy (npm's workspace links are relative). */
const installed = once(() => {
  const dir = makeProject(MONOREPO);
  npmInstall(dir);
  return dir;
});

/** A copy of the installed monorepo with `files` written over it. */
function installedMonorepo(files: Record<string, string>): string {
  const dir = tempDir();
  fs.cpSync(installed(), dir, { recursive: true, verbatimSymlinks: true });
  writeFiles(dir, files);
  return dir;
}

/** A page's findings in a run's JSON report (its index, or the project whose reports/index.json to read). */
function findings(dirOrIndex: string | CheckResult, page: string): Finding[] {
  const result = typeof dirOrIndex === "string" ? readJson<CheckResult>(path.join(dirOrIndex, "reports/index.json")) : dirOrIndex;
  const found = result.pages.find((p) => p.page === page);
  if (!found) throw new Error(`no page ${page} in the report: ${result.pages.map((p) => p.page).join(", ")}`);
  return found.findings;
}

/**
 * `validate-docs` at the root of the installed monorepo (a root README, no config), every stage: the npm workspaces
 * test's run, whose pages (every package's README and docs) are also those of the tsconfig-per-package test. Its
 * report is read once, right after the run: the cache test then checks that project again, from the cache it left.
 */
const rootRun = once(() => {
  const dir = installedMonorepo({ "README.md": "# acme\n" });
  const r = runCli([], dir);
  return { dir, r, index: readJson<CheckResult>(path.join(dir, "reports/index.json")) };
});

describe("a monorepo: a tsconfig per package", () => {
  it("checks and runs each package's pages with its own tsconfig (strict in one, not in the other; its paths alias)", () => {
    // The run at the root with every stage, which the npm workspaces test below shares (its pages are every package's).
    const { dir, r, index } = rootRun();
    expect(fs.realpathSync(path.join(dir, "node_modules/@acme/core"))).toBe(path.join(dir, "packages/core"));
    expect(r.code, r.stdout + r.stderr).toBe(1);
    // The same code: an error under core's strict tsconfig, none under cli's.
    expect(findings(index, "packages/core/README.md").map((f) => [f.ruleId, f.place.start.line])).toEqual([["ts7006", 4]]);
    expect(findings(index, "packages/cli/README.md")).toEqual([]);
    // cli's `paths` alias resolves when checking and when running (the output assertion passed).
    expect(findings(index, "packages/cli/docs/alias.md")).toEqual([]);
    expect(findings(index, "packages/core/docs/usage.md")).toEqual([]);
    const alias = index.pages.find((p) => p.page === "packages/cli/docs/alias.md")!;
    expect(alias.blocks[0]!.checks).toEqual(["typecheck", "run", "lint"]);
  }, 240_000);

  it("`--tsconfig` on the command line applies to every page: cli's README is checked strictly too, and its alias is gone", () => {
    const dir = installedMonorepo({ "validate-docs.config.json": JSON.stringify({ include: ["packages/*/README.md", "packages/*/docs/**/*.md"] }) });
    const forced = runCli(["--tsconfig", "tsconfig.json", "--no-run"], dir);
    expect(forced.code).toBe(1);
    expect(findings(dir, "packages/cli/README.md").map((f) => f.ruleId)).toEqual(["ts7006"]);
    expect(findings(dir, "packages/cli/docs/alias.md").map((f) => f.ruleId)).toEqual(["ts2307"]);
  }, 240_000);

  it("reuses cached results per tsconfig: a changed package tsconfig re-checks that package's pages only", () => {
    // The root run's project with the result cache that run left (every package's pages checked with their own
    // tsconfig), now checking the READMEs only, after cli's tsconfig changed. (In place: in a copy at another path
    // every block missed the cache.)
    const { dir } = rootRun();
    writeFiles(dir, { "validate-docs.config.json": JSON.stringify({ include: ["packages/*/README.md"] }) });
    fs.writeFileSync(path.join(dir, "packages/cli/tsconfig.json"), tsconfig(true));
    const r = runCli(["--no-run", "--reporter", "json"], dir);
    expect(findings(dir, "packages/cli/README.md").map((f) => f.ruleId)).toEqual(["ts7006"]);
    expect(findings(dir, "packages/core/README.md").map((f) => f.ruleId)).toEqual(["ts7006"]);
    const result = readJson<CheckResult>(path.join(dir, "reports/index.json"));
    // core's block is a hit, cli's a miss.
    expect(result.cache?.typecheck).toEqual({ hits: 1, misses: 1 });
    expect(r.code).toBe(1);
  }, 240_000);
});

/** The pages a run checked, from its JSON report. */
function pagesOf(dir: string): string[] {
  return readJson<CheckResult>(path.join(dir, "reports/index.json")).pages.map((p) => p.page);
}

const PACKAGE_PAGES = ["README.md", "packages/cli/README.md", "packages/cli/docs/alias.md", "packages/core/README.md", "packages/core/docs/usage.md"];

describe("a monorepo: `validate-docs` at the root covers every workspace package", () => {
  it("npm workspaces (package.json `workspaces`): every package's README and docs, each with its own tsconfig", () => {
    const { r, index } = rootRun();
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(index.pages.map((p) => p.page)).toEqual(PACKAGE_PAGES);
    expect(findings(index, "packages/core/README.md").map((f) => f.ruleId)).toEqual(["ts7006"]);
    expect(findings(index, "packages/cli/README.md")).toEqual([]);
    expect(findings(index, "packages/cli/docs/alias.md")).toEqual([]);
  }, 240_000);

  it("pnpm-workspace.yaml (with a `!` exclusion) and yarn's `workspaces: { packages }` find the same packages", () => {
    const { "package.json": _root, ...rest } = MONOREPO;
    void _root;
    const pnpm = makeProject({
      ...rest,
      "README.md": "# acme\n",
      "package.json": JSON.stringify({ name: "acme-monorepo", private: true }),
      "pnpm-workspace.yaml": "packages:\n  - 'packages/*'\n  - '!packages/internal'\n",
      "packages/internal/package.json": JSON.stringify({ name: "internal" }),
      "packages/internal/README.md": "# internal\n\n```ts\nconst broken: number = 'x';\n```\n",
    });
    runCli(["--no-run", "--no-typecheck", "--no-lint"], pnpm);
    expect(pagesOf(pnpm)).toEqual(PACKAGE_PAGES);

    const yarn = makeProject({ ...rest, "README.md": "# acme\n", "package.json": JSON.stringify({ name: "acme-monorepo", private: true, workspaces: { packages: ["packages/*"] } }) });
    runCli(["--no-run", "--no-typecheck", "--no-lint"], yarn);
    expect(pagesOf(yarn)).toEqual(PACKAGE_PAGES);
  }, 240_000);

  it("a package's own config file chooses its pages and its tsconfig; other options there are an error naming the file", () => {
    const dir = installedMonorepo({
      "README.md": "# acme\n",
      "packages/cli/validate-docs.config.json": JSON.stringify({ include: ["guide/*.md"], tsconfig: "tsconfig.strict.json" }),
      "packages/cli/tsconfig.strict.json": tsconfig(true),
      "packages/cli/guide/loose.md": ["# Loose", "", LOOSE_CODE].join("\n"),
    });
    const r = runCli(["--no-run"], dir);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(pagesOf(dir)).toEqual(["README.md", "packages/cli/guide/loose.md", "packages/core/README.md", "packages/core/docs/usage.md"]);
    // The tsconfig the package's config names, not the package's tsconfig.json.
    expect(findings(dir, "packages/cli/guide/loose.md").map((f) => f.ruleId)).toEqual(["ts7006"]);

    fs.writeFileSync(path.join(dir, "packages/cli/validate-docs.config.json"), JSON.stringify({ include: ["guide/*.md"], timeout: 100 }));
    const bad = runCli(["--no-run"], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("packages/cli/validate-docs.config.json: `timeout` cannot be set per package");
  }, 240_000);
});
