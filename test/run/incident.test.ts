// Incident replay: the seed's silent tracing failure, reproduced with the real OpenTelemetry packages.
// The buggy SDK must fail its quickstart page at the init(...) line; the fixed SDK must pass every page; and
// verdicts must not depend on concurrency or page order (the global-provider page would poison the others
// if pages shared a process).
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Finding } from "../../src/types.js";
import { ensureHarness, lineOf, makeProject, REPO, runDocs } from "./helpers.js";

beforeAll(ensureHarness);

const FIXTURE = path.join(REPO, "test/fixtures/incident");
const PAGES = ["docs/quickstart.md", "docs/custom-provider.md", "docs/global-provider.md"];

/** A temp docs project whose node_modules links the chosen SDK and the repo's real OpenTelemetry packages. */
function project(sdk: "sdk-buggy" | "sdk-fixed"): string {
  const files: Record<string, string> = {};
  for (const page of PAGES) files[page] = fs.readFileSync(path.join(FIXTURE, page), "utf8");
  const root = makeProject(files);
  fs.mkdirSync(path.join(root, "node_modules/@demo"), { recursive: true });
  fs.symlinkSync(path.join(FIXTURE, sdk), path.join(root, "node_modules/@demo/tracer-sdk"), "dir");
  fs.symlinkSync(path.join(REPO, "node_modules/@opentelemetry"), path.join(root, "node_modules/@opentelemetry"), "dir");
  return root;
}

const verdict = (findings: Finding[]): string[] => findings.map((f) => `${f.page}:${f.place.start.line} ${f.ruleId}`).sort();

describe("incident replay", () => {
  it("fails the buggy SDK's quickstart with run/dependency-warning at the init(...) line", async () => {
    const root = project("sdk-buggy");
    const source = fs.readFileSync(path.join(root, "docs/quickstart.md"), "utf8");
    const { findings } = await runDocs(root, PAGES);
    const warning = findings.filter((f) => f.ruleId === "run/dependency-warning");
    expect(warning).toHaveLength(1);
    expect(warning[0]!.page).toBe("docs/quickstart.md");
    expect(warning[0]!.place.start.line).toBe(lineOf(source, "init({"));
    expect(warning[0]!.message).toContain("@demo/tracer-sdk");
    expect(warning[0]!.message).toContain("Existing provider doesn't support span processors");
    // The lost traces also show in the documented output.
    expect(verdict(findings)).toEqual([
      `docs/quickstart.md:${lineOf(source, "```text output")} run/output-mismatch`,
      `docs/quickstart.md:${lineOf(source, "init({")} run/dependency-warning`,
    ]);
  });

  it("passes every page with the fixed SDK", async () => {
    const { findings, ran } = await runDocs(project("sdk-fixed"), PAGES);
    expect(findings).toEqual([]);
    expect(ran.size).toBe(3);
  });

  it("gives identical verdicts with --concurrency 1 and with reversed page order", async () => {
    for (const sdk of ["sdk-buggy", "sdk-fixed"] as const) {
      const root = project(sdk);
      const base = verdict((await runDocs(root, PAGES, { concurrency: 2 })).findings);
      expect(verdict((await runDocs(root, PAGES, { concurrency: 1 })).findings)).toEqual(base);
      expect(verdict((await runDocs(root, [...PAGES].reverse(), { concurrency: 1 })).findings)).toEqual(base);
      expect(verdict((await runDocs(root, [...PAGES].reverse(), { concurrency: 2 })).findings)).toEqual(base);
    }
  });
});
