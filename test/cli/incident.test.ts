// The incident replay through the real CLI, all stages, on a temp project that installs the fixture SDK the way a
// user's project would (node_modules/@demo/tracer-sdk) next to the real OpenTelemetry packages. The buggy SDK
// must fail the quickstart at its init(...) line; the fixed SDK must pass; verdicts must not depend on
// concurrency or on the order pages are given (global-provider.md would poison the others in a shared process).
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { makeProject, readJson, REPO, runCli } from "../helpers.js";

const FIXTURE = path.join(REPO, "test/fixtures/incident");
const PAGES = ["docs/quickstart.md", "docs/custom-provider.md", "docs/global-provider.md"];


/**
 * A temp docs project under os.tmpdir(). It cannot walk up to the repo's node_modules, so the packages it
 * needs are symlinked in; node and TypeScript resolve a symlinked package from its real path, so the SDK's
 * own `@opentelemetry/*` imports reach the same copies the pages import (one global registry, as in production).
 */
function project(sdk: "sdk-buggy" | "sdk-fixed", rename: (page: string) => string = (page) => page): string {
  const files: Record<string, string> = {
    "package.json": JSON.stringify({ name: "incident-docs", private: true, type: "module" }),
    "tsconfig.json": JSON.stringify({
      compilerOptions: { target: "ES2022", module: "ESNext", moduleResolution: "Bundler", strict: true, lib: ["ES2022"], types: ["node"], skipLibCheck: true },
    }),
  };
  for (const page of PAGES) files[rename(page)] = fs.readFileSync(path.join(FIXTURE, page), "utf8");
  const root = makeProject(files, "vd-incident-");
  fs.mkdirSync(path.join(root, "node_modules/@demo"), { recursive: true });
  fs.symlinkSync(path.join(FIXTURE, sdk), path.join(root, "node_modules/@demo/tracer-sdk"), "dir");
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
const original = (page: string): string => page.replace(/^docs\/r\d-/, "docs/");

/** page → sorted "line ruleId severity" of its findings; every page listed, clean ones with []. */
const verdict = (index: Index): Record<string, string[]> =>
  Object.fromEntries(index.pages.map((p) => [original(p.page), p.findings.map((f) => `${f.place.start.line} ${f.ruleId} ${f.severity}`).sort()]));

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

describe("incident replay through the CLI", () => {
  /** The first run's verdict per SDK (concurrency 2, page order as listed), compared with the other orders below. */
  const baseline = new Map<string, { root: string; code: number | null; verdict: Record<string, string[]> }>();

  it("fails the buggy SDK's quickstart with run/dependency-warning at the init(...) line, and only that page", () => {
    const root = project("sdk-buggy");
    const source = fs.readFileSync(path.join(root, "docs/quickstart.md"), "utf8");
    const { code, index, stdout } = check(root, ["--concurrency", "2", ...PAGES]);
    baseline.set("sdk-buggy", { root, code, verdict: verdict(index) });
    expect(code).toBe(1);
    const initLine = lineOf(source, "init({");
    const quickstart = index.pages.find((p) => p.page === "docs/quickstart.md")!;
    const warning = quickstart.findings.find((f) => f.ruleId === "run/dependency-warning")!;
    expect(warning).toBeDefined();
    expect(warning.severity).toBe("error");
    expect(warning.place.start.line).toBe(initLine);
    expect(warning.message).toContain("`@demo/tracer-sdk`");
    expect(warning.message).toContain("Existing provider doesn't support span processors");
    expect(stdout).toContain(`docs/quickstart.md:${initLine}:`);
    // The lost traces also show in the documented output; the other pages (own provider, no SDK) pass.
    expect(verdict(index)).toEqual({
      "docs/custom-provider.md": [],
      "docs/global-provider.md": [],
      "docs/quickstart.md": [`${initLine} run/dependency-warning error`, `${lineOf(source, "```text output")} run/output-mismatch error`].sort(),
    });
  });

  it("passes every page with the fixed SDK, every block run", () => {
    const root = project("sdk-fixed");
    const { code, index } = check(root, ["--concurrency", "2", ...PAGES]);
    baseline.set("sdk-fixed", { root, code, verdict: verdict(index) });
    expect(verdict(index)).toEqual({ "docs/custom-provider.md": [], "docs/global-provider.md": [], "docs/quickstart.md": [] });
    expect(code).toBe(0);
    expect(index.pages.flatMap((p) => p.blocks).every((b) => b.checks.includes("run") && b.status === "passed")).toBe(true);
  });

  it("gives identical verdicts with --concurrency 1 and 2 and with the pages run in reverse order", () => {
    for (const sdk of ["sdk-buggy", "sdk-fixed"] as const) {
      const base = baseline.get(sdk);
      if (!base) throw new Error(`the ${sdk} baseline run did not happen (run the whole file)`);
      expect(Object.keys(base.verdict)).toHaveLength(3);
      // The baseline's findings are all the run stage's (its exact verdict is asserted above), and the order and
      // concurrency of page processes are the run stage's concern: these runs skip the type-check (the @types/node
      // program, ≈ 1.4 s of CPU each) and lint. --no-cache: the result cache would replay the baseline's results.
      const reversed = project(sdk, REVERSED);
      const reversedPages = PAGES.map(REVERSED).reverse();
      expect([...reversedPages].sort().map(original)).toEqual([...SORTED].reverse());
      // Against the baseline (concurrency 2, sorted order): concurrency 1 in the sorted order (the baseline's
      // project), and concurrency 1 and 2 in the reversed order (a project of its own).
      for (const [root, args] of [
        [base.root, ["--concurrency", "1", ...[...PAGES].reverse()]],
        [reversed, ["--concurrency", "1", ...reversedPages]],
        [reversed, ["--concurrency", "2", ...reversedPages]],
      ] as const) {
        const run = check(root, ["--no-cache", "--no-typecheck", "--no-lint", ...args]);
        expect(verdict(run.index), `${sdk} ${args.join(" ")}`).toEqual(base.verdict);
        expect(run.code).toBe(base.code);
        expect(run.index.pages.flatMap((p) => p.blocks).every((b) => b.checks.includes("run")), `${sdk} ${args.join(" ")}: every block ran`).toBe(true);
      }
    }
  });
});
