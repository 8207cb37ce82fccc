// The baseline's matching (src/baseline.ts), on findings as data. Through the CLI: test/cli/baseline.test.ts.
import { expect, it } from "vitest";
import { applyBaseline, entriesOf, type BaselineFile } from "../../src/baseline.js";
import type { Finding } from "../../src/types.js";

const place = (line: number) => ({ start: { line, column: 13, offset: 0 }, end: { line, column: 17, offset: 4 } });
const finding = (ruleId: string, blockId: string, line: number): Finding => ({ stage: "typecheck", ruleId, severity: "error", message: `${ruleId} message`, page: "docs/a.md", blockId, place: place(line) });

it("a known unresolved name matches as TS2552 or TS2304 (TypeScript's suggestion budget is shared by all blocks), other codes only as themselves", () => {
  const keys = new Map([
    ["docs/a.md#L3-L6", "k-eleventh"],
    ["docs/a.md#L8-L11", "k-other"],
  ]);
  // Recorded when ten unresolved names came before the block: no "did you mean", TS2304.
  const recorded: BaselineFile = { version: 1, entries: entriesOf([finding("ts2304", "docs/a.md#L3-L6", 4), finding("ts2322", "docs/a.md#L8-L11", 9)], keys) };
  expect(recorded.entries.map((e) => e.rule)).toEqual(["ts2304", "ts2322"]);

  // An earlier known failure was fixed, so the same name now gets its suggestion (TS2552): still known.
  const fixedElsewhere = applyBaseline([finding("ts2552", "docs/a.md#L3-L6", 4), finding("ts2322", "docs/a.md#L8-L11", 9)], keys, recorded, "base.json", new Set(["docs/a.md"]));
  expect(fixedElsewhere.findings.map((f) => [f.ruleId, f.severity, f.baselined])).toEqual([
    ["ts2552", "warning", true],
    ["ts2322", "warning", true],
  ]);
  expect(fixedElsewhere.outcome).toMatchObject({ suppressed: 2, removable: [] });

  // Another code in the same block is a new failure, and the entry it does not match is removable.
  const changed = applyBaseline([finding("ts2339", "docs/a.md#L3-L6", 4), finding("ts2322", "docs/a.md#L8-L11", 9)], keys, recorded, "base.json", new Set(["docs/a.md"]));
  expect(changed.findings.map((f) => [f.ruleId, f.severity])).toEqual([
    ["ts2339", "error"],
    ["ts2322", "warning"],
  ]);
  expect(changed.outcome.removable.map((e) => e.rule)).toEqual(["ts2304"]);
});
