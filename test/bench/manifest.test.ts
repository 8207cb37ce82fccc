// The manifest comparison of the bench and the corpus tests (test/bench/manifest.mjs) must fail on every kind of
// wrong answer: a report built from a generated manifest passes, and each change to it is named.
import { describe, expect, it } from "vitest";
import { checkReport, expectedErrors, expectThrows, type ManifestRow, type ReportIndex } from "./manifest.mjs";
import { makeCorpus, tempDir } from "../helpers.js";

type Finding = ReportIndex["pages"][number]["findings"][number];

/** The report a correct checker gives: each row's expected error findings, plus a warning that must not count. */
function rightReport(manifest: ManifestRow[]): ReportIndex {
  const pages = [...new Set(manifest.map((m) => m.page))];
  return {
    pages: pages.map((page) => {
      const rows = manifest.filter((m) => m.page === page);
      const blocks = rows.map((m) => ({ id: `${page}#L${m.line}` }));
      const findings: Finding[] = rows.flatMap((m, i) => {
        const at = { severity: "error", blockId: blocks[i]!.id, message: "" };
        return [
          ...(m.expectTypeError ? [{ ...at, stage: "typecheck", ruleId: `ts${m.expectTypeError}` }] : []),
          ...(expectThrows(m) ? [{ ...at, stage: "run", ruleId: "run/threw" }] : []),
          ...(m.banned ? [{ ...at, stage: "lint", ruleId: "no-init-instrumentors" }, { ...at, stage: "lint", ruleId: "no-deprecated", severity: "warning" }] : []),
        ];
      });
      return { page, blocks, findings };
    }),
  };
}

describe("checkReport", () => {
  const manifest = makeCorpus(tempDir("vd-manifest-"), { pages: 8, errorRate: 0.5, bannedRate: 0.2 });
  const first = (f: (m: ManifestRow) => boolean): ManifestRow => manifest.find(f)!;
  const edit = (row: ManifestRow, change: (findings: Finding[], blockId: string) => Finding[]): ReportIndex => {
    const report = rightReport(manifest);
    const page = report.pages.find((p) => p.page === row.page)!;
    const blockId = page.blocks[row.index - 1]!.id;
    page.findings = change(page.findings, blockId);
    return report;
  };

  it("passes the right report and counts its errors", () => {
    expect(checkReport(rightReport(manifest), manifest)).toEqual([]);
    const errors = rightReport(manifest).pages.flatMap((p) => p.findings.filter((f) => f.severity === "error")).length;
    expect(expectedErrors(manifest)).toBe(errors);
    expect(errors).toBeGreaterThan(10);
  });

  it("names each kind of wrong answer", () => {
    const typed = first((m) => m.expectTypeError !== null);
    const thrower = first((m) => m.throws === true);
    const banned = first((m) => m.banned);
    const clean = first((m) => m.mistake === null && !m.banned);
    const cases: [ReportIndex, RegExp][] = [
      [edit(typed, (fs, id) => fs.filter((f) => !(f.blockId === id && f.stage === "typecheck"))), /type errors none, expected ts\d+/],
      [edit(typed, (fs, id) => fs.map((f) => (f.blockId === id && f.stage === "typecheck" ? { ...f, ruleId: "ts1" } : f))), /type errors ts1, expected/],
      [edit(thrower, (fs, id) => fs.filter((f) => !(f.blockId === id && f.ruleId === "run/threw"))), /did not throw when run, expected run\/threw/],
      [edit(clean, (fs, id) => [...fs, { stage: "run", ruleId: "run/threw", severity: "error", blockId: id, message: "" }]), /threw when run, expected no throw/],
      [edit(banned, (fs, id) => fs.filter((f) => !(f.blockId === id && f.ruleId === "no-init-instrumentors"))), /banned pattern missed/],
      [edit(clean, (fs, id) => [...fs, { stage: "run", ruleId: "run/timeout", severity: "error", blockId: id, message: "timed out" }]), /unexpected run\/timeout: timed out/],
      [edit(clean, (fs) => [...fs, { stage: "extract", ruleId: "extract/unclosed", severity: "error", message: "unclosed fence" }]), /error outside any block: extract\/unclosed/],
    ];
    for (const [report, problem] of cases) expect(checkReport(report, manifest)).toEqual([expect.stringMatching(problem)]);
    const missing = rightReport(manifest);
    missing.pages[0]!.blocks.pop();
    expect(checkReport(missing, manifest)).toEqual(expect.arrayContaining([expect.stringMatching(/blocks reported, the manifest has/), expect.stringMatching(/not in the report/)]));
    // Without the run stage, throwing is not compared; without lint, the banned pattern is not.
    expect(checkReport(edit(thrower, (fs, id) => fs.filter((f) => !(f.blockId === id && f.ruleId === "run/threw"))), manifest, { run: false })).toEqual([]);
  });

  it("reads the shared generator's rows, which have no `throws`, by their template", () => {
    const row = { page: "docs/page-001.md", index: 1, line: 12, fence: "ts", expectTypeError: 2345, banned: false };
    expect(expectThrows({ ...row, template: "basicSpan" })).toBe(true);
    expect(expectThrows({ ...row, template: "serviceClass" })).toBe(false);
    expect(expectThrows({ ...row, template: "basicSpan", expectTypeError: null })).toBe(false);
  });
});
