// The incident replay through the real CLI, all stages, on a temp project that installs the fixture SDK the way a
// user's project would (node_modules/@demo/tracer-sdk) next to the real OpenTelemetry packages. The buggy SDK
// must fail the quickstart at its init(...) line; the fixed SDK must pass; verdicts must not depend on
// concurrency or on the order pages are given (global-provider.md would poison the others in a shared process).
// Both SDKs are in one project, each with its copy of the pages in a folder of its own: sdk-buggy/docs/… beside
// sdk-buggy/node_modules/@demo/tracer-sdk, the same for sdk-fixed (a page's blocks resolve packages from the nearest
// node_modules up, when checked and when run), so one CLI run replays both.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { makeProject, once, readJson, REPO, runCli } from "../helpers.js";

const FIXTURE = path.join(REPO, "test/fixtures/incident");
const PAGES = ["docs/quickstart.md", "docs/custom-provider.md", "docs/global-provider.md"];
const SDKS = ["sdk-buggy", "sdk-fixed"] as const;
type Sdk = (typeof SDKS)[number];

/**
 * A temp docs project under os.tmpdir(). It cannot walk up to the repo's node_modules, so the packages it
 * needs are symlinked in; node and TypeScript resolve a symlinked package from its real path, so the SDK's
 * own `@opentelemetry/*` imports reach the same copies the pages import (one global registry, as in production).
 */
function project(rename: (page: string) => string = (page) => page): string {
  const files: Record<string, string> = {
    "package.json": JSON.stringify({ name: "incident-docs", private: true, type: "module" }),
    "tsconfig.json": JSON.stringify({
      compilerOptions: { target: "ES2022", module: "ESNext", moduleResolution: "Bundler", strict: true, lib: ["ES2022"], types: ["node"], skipLibCheck: true },
    }),
  };
  for (const sdk of SDKS) for (const page of PAGES) files[`${sdk}/${rename(page)}`] = fs.readFileSync(path.join(FIXTURE, page), "utf8");
  const root = makeProject(files, "vd-incident-");
  for (const sdk of SDKS) {
    fs.mkdirSync(path.join(root, sdk, "node_modules/@demo"), { recursive: true });
    fs.symlinkSync(path.join(FIXTURE, sdk), path.join(root, sdk, "node_modules/@demo/tracer-sdk"), "dir");
  }
  fs.mkdirSync(path.join(root, "node_modules"));
  fs.symlinkSync(path.join(REPO, "node_modules/@opentelemetry"), path.join(root, "node_modules/@opentelemetry"), "dir");
  fs.symlinkSync(path.join(REPO, "node_modules/@types"), path.join(root, "node_modules/@types"), "dir");
  return root;
}

interface Finding {
  ruleId: string;
  severity: string;
  message: string;
  page: string;
  place: { start: { line: number; column: number } };
}
interface Index {
  pages: { page: string; findings: Finding[]; blocks: { status: string; checks: string[] }[] }[];
  summary: { errors: number; pages: number };
}

/**
 * The CLI sorts the pages it discovers, so listing them in reverse on the command line alone does not change
 * the order they run in; renaming them does. Sorted, the fixture runs custom-provider, global-provider,
 * quickstart (the poisoning page before the victim); these names run it the other way round.
 */
const SORTED = [...PAGES].sort();
const REVERSED = (page: string): string => page.replace("docs/", `docs/r${SORTED.length - SORTED.indexOf(page)}-`);
const original = (page: string): string => page.replace(/\/docs\/r\d-/, "/docs/");
/** An SDK's pages, as the project has them. */
const pagesOf = (sdk: Sdk, rename: (page: string) => string = (page) => page): string[] => PAGES.map((page) => `${sdk}/${rename(page)}`);

/** page → sorted "line ruleId severity" of its findings; every page listed, clean ones with []. */
const verdict = (index: Index): Record<string, string[]> =>
  Object.fromEntries(index.pages.map((p) => [original(p.page), p.findings.map((f) => `${f.place.start.line} ${f.ruleId} ${f.severity}`).sort()]));
/** The verdict of one SDK's pages (keyed by `docs/<page>`). */
const verdictOf = (index: Index, sdk: Sdk): Record<string, string[]> =>
  Object.fromEntries(Object.entries(verdict(index)).flatMap(([page, v]) => (page.startsWith(`${sdk}/`) ? [[page.slice(sdk.length + 1), v]] : [])));

function check(root: string, args: string[]): { code: number | null; index: Index; stdout: string } {
  const r = runCli(args, root);
  expect(r.stderr).toBe("");
  return { code: r.code, index: readJson<Index>(path.join(root, "reports/index.json")), stdout: r.stdout };
}

const lineOf = (source: string, needle: string): number => {
  const at = source.indexOf(needle);
  if (at === -1) throw new Error(`not in page: ${needle}`);
  return source.slice(0, at).split("\n").length;
};

/** Both SDKs' pages, all stages, concurrency 2, page order as listed: what the other orders are compared with. */
const baseline = once(() => {
  const root = project();
  return { root, ...check(root, ["--concurrency", "2", ...SDKS.flatMap((sdk) => pagesOf(sdk))]) };
});

describe("incident replay through the CLI", () => {
  it("fails the buggy SDK's quickstart with run/dependency-warning at the init(...) line, and only that page", () => {
    const { root, code, index, stdout } = baseline();
    const source = fs.readFileSync(path.join(root, "sdk-buggy/docs/quickstart.md"), "utf8");
    expect(code).toBe(1);
    const initLine = lineOf(source, "init({");
    const quickstart = index.pages.find((p) => p.page === "sdk-buggy/docs/quickstart.md")!;
    const warning = quickstart.findings.find((f) => f.ruleId === "run/dependency-warning")!;
    expect(warning).toBeDefined();
    expect(warning.severity).toBe("error");
    expect(warning.place.start.line).toBe(initLine);
    expect(warning.message).toContain("`@demo/tracer-sdk`");
    expect(warning.message).toContain("Existing provider doesn't support span processors");
    expect(stdout).toContain(`sdk-buggy/docs/quickstart.md:${initLine}:`);
    // The lost traces also show in the documented output; the other pages (own provider, no SDK) pass.
    expect(verdictOf(index, "sdk-buggy")).toEqual({
      "docs/custom-provider.md": [],
      "docs/global-provider.md": [],
      "docs/quickstart.md": [`${initLine} run/dependency-warning error`, `${lineOf(source, "```text output")} run/output-mismatch error`].sort(),
    });
    // Every error of the run is the buggy SDK's (the fixed SDK's pages: the next test).
    expect(index.summary.errors).toBe(2);
  });

  it("passes every page with the fixed SDK, every block run", () => {
    const { index } = baseline();
    expect(verdictOf(index, "sdk-fixed")).toEqual({ "docs/custom-provider.md": [], "docs/global-provider.md": [], "docs/quickstart.md": [] });
    const blocks = index.pages.filter((p) => p.page.startsWith("sdk-fixed/")).flatMap((p) => p.blocks);
    expect(blocks).toHaveLength(3);
    expect(blocks.every((b) => b.checks.includes("run") && b.status === "passed")).toBe(true);
    // Alone, the fixed SDK's pages pass the gate (exit 0): the run of its pages alone in the next test.
  });

  it("gives identical verdicts with --concurrency 1 and 2 and with the pages run in reverse order", () => {
    const base = baseline();
    expect(Object.keys(verdict(base.index))).toHaveLength(6);
    // The baseline's findings are all the run stage's (its exact verdict is asserted above), and the order and
    // concurrency of page processes are the run stage's concern: these runs skip the type-check (the @types/node
    // program, ≈ 1.4 s of CPU each) and lint. --no-cache: the result cache would replay the baseline's results.
    const reversed = project(REVERSED);
    const reversedPages = SDKS.flatMap((sdk) => pagesOf(sdk, REVERSED)).reverse();
    expect(PAGES.map(REVERSED).sort().map((p) => p.replace(/^docs\/r\d-/, "docs/"))).toEqual([...SORTED].reverse());
    // Against the baseline (concurrency 2, sorted order): concurrency 1 in the sorted order (the baseline's
    // project; each SDK's pages alone, so the fixed SDK's exit code is its own), and concurrency 1 and 2 in the
    // reversed order (a project of its own).
    const runs: [string, string[], readonly Sdk[]][] = [
      [base.root, ["--concurrency", "1", ...pagesOf("sdk-buggy").reverse()], ["sdk-buggy"]],
      [base.root, ["--concurrency", "1", ...pagesOf("sdk-fixed").reverse()], ["sdk-fixed"]],
      [reversed, ["--concurrency", "1", ...reversedPages], SDKS],
      [reversed, ["--concurrency", "2", ...reversedPages], SDKS],
    ];
    for (const [root, args, sdks] of runs) {
      const run = check(root, ["--no-cache", "--no-typecheck", "--no-lint", ...args]);
      for (const sdk of sdks) expect(verdictOf(run.index, sdk), `${sdk} ${args.join(" ")}`).toEqual(verdictOf(base.index, sdk));
      expect(Object.keys(verdict(run.index))).toHaveLength(sdks.length * 3);
      expect(run.code, args.join(" ")).toBe(sdks.includes("sdk-buggy") ? 1 : 0);
      expect(run.index.pages.flatMap((p) => p.blocks).every((b) => b.checks.includes("run")), `${args.join(" ")}: every block ran`).toBe(true);
    }
  });
});
